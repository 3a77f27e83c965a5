// Package proxy is an in-process TCP fault proxy in front of one replica:
// it forwards connections to the replica's current address and, on
// command, cuts them (blackhole: accepted and never answered; reset:
// refused with a TCP reset) or slows them (latency before every chunk
// from the replica; trickle: a few bytes at a time).
//
// It plays the part Shopify's toxiproxy plays in other harnesses, without
// toxiproxy's own random source: nothing here draws a random number, so
// all randomness stays in the run's seeded scheduler.
//
// Guarantees:
//   - Cut closes every open connection through the proxy at once (with a
//     reset), so a stream in flight fails rather than finishing late.
//   - While cut, no byte reaches the replica or comes back from it.
//   - Heal (Normal) releases blackholed connections by closing them and
//     forwards new ones again; SetTarget moves later connections to a new
//     address (a restarted replica) without changing the proxy's own.
//   - Close stops the listener and every connection and returns after its
//     goroutines have ended.
package proxy
