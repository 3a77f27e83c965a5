// Package provider starts the engine replicas of a chaos run and carries
// out the fault verbs on them, behind one small interface: Process runs
// refengine child processes on loopback, Container runs refengine
// containers from the locally built FROM-scratch image on a private
// Docker network. A Kubernetes provider would implement the same verbs.
//
// Guarantees:
//   - Every replica is reached through an in-process fault proxy
//     (package proxy), so cut and slow work the same way on both
//     providers; the replica's own address stays available (Direct) to
//     tell a cut link from a dead replica.
//   - Close stops every replica the provider started (SIGKILL after a
//     grace period for processes; remove for containers, with their
//     network), heals paused ones first, and is safe to call twice.
//   - Child processes get SIGKILL from the kernel if the runner dies
//     (Linux Pdeathsig) and sit in their own process group, so a terminal's
//     ^C reaches the runner, which heals and stops them itself.
package provider
