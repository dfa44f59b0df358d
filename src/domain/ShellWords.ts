/** Words of a POSIX shell command line: the one quoting rule for every command the bus writes for a shell to run. */

const plainWord = /^[A-Za-z0-9_@%+=:,./-]+$/

/** A word for a POSIX shell: as is when it holds no special character, else single-quoted; never fails. */
export const shellWord = (word: string): string => plainWord.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`

/** Splits a command line into words, quotes removed and nothing expanded (the inverse of `shellWord`); never fails. */
export const shellWords = (line: string): Array<string> =>
  Array.from(
    line.matchAll(/'((?:[^']|'\\'')*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g),
    (match) => match[1] !== undefined ? match[1].replaceAll("'\\''", "'") : match[2] ?? match[3]!
  )
