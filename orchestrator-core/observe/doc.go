// Package observe is how the orchestrator core reports what it does.
//
// The core declares the events; a provider (the promexport module, a slog
// handler, a test recorder) implements [Observer]. The core never imports a
// metrics or logging library.
//
// Guarantees:
//   - Every task lifecycle transition is delivered to the Observer exactly
//     once, in the order the core decided it, while the pool's lock is held,
//     so events of one pool are totally ordered.
//   - An Event is a plain value: the observer may keep it; the core does not
//     reuse it.
//   - [Nop] is the default; a pool built without an Observer costs nothing
//     beyond the call.
//   - Observers must not call back into the pool that notifies them.
package observe
