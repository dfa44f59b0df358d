#!/usr/bin/env node
import "../dist/bin/helioy-bus.mjs"
