/**
 * The perf issue's goals beside the figures: each goal keeps its figure's value, states its bound and whether it
 * is met (a missing figure never meets its goal).
 */

const known = (value) => value !== null && value !== undefined
const atMost = (value, limit) => ({ value, goal: `<= ${limit}`, met: known(value) && value <= limit })
const atLeast = (value, limit) => ({ value, goal: `>= ${limit}`, met: known(value) && value >= limit })
const below = (value, limit) => ({ value, goal: `< ${limit}`, met: known(value) && value < limit })

/** The goals with `value`, `goal` and `met` for each, from the figures; never throws (missing figures are unmet). */
export const goalsOf = (figures) => ({
  sendServerRssAfterMb: atMost(figures.sendServerRssAfterMb, 80),
  coldStartMedianMs: atMost(figures.coldStartMedianMs, 250),
  sendP50Ms: atMost(figures.sendP50Ms, 1.5),
  concurrentThroughputMsgsPerS: atLeast(figures.concurrentThroughputMsgsPerS, 1500),
  concurrentLostPlusDuplicated: below(figures.concurrentLost + figures.concurrentDuplicated, 1),
  fanOut100MedianMs: atMost(figures.fanOut100MedianMs, 20),
  listAgents50P50Ms: below(figures.listAgents50P50Ms, 20),
  get1000MedianMs: below(figures.get1000MedianMs, 40),
  idleRssMb: below(figures.idleRssMb, 80),
  hookNoMailP50Ms: below(figures.hookNoMailP50Ms, 60),
  hookNoMailPidFileP50Ms: below(figures.hookNoMailPidFileP50Ms, 60)
})
