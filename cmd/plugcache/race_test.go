//go:build race

package main

// raceEnabled builds the binary under test with the race detector, as the
// tests themselves run.
const raceEnabled = true
