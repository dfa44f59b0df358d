#!/usr/bin/env node
console.error("helioy-warroom is not part of this release yet: spawn agents by hand and connect them with `helioy-bus serve`.")
process.exit(2)
