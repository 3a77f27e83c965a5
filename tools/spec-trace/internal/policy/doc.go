// Package policy reads the evidence policy (.specs/trace-policy.yaml) and
// applies it to a report.
//
// The file:
//
//	version: 1
//	rules:
//	  - area: OC-CORE        # an area prefix, a level, both, or one id
//	    level: MUST
//	    require: go and gherkin
//	    why: the core is proven by unit tests and by scenarios
//	  - id: OC-CORE-1002
//	    require: go or junit
//
// require is one or more alternatives joined by "or", each one or more
// evidence kinds (go, gherkin, junit) joined by "and"; "any" means a
// passing test of any kind.
//
// Guarantees:
//   - The most specific matching rule applies: id, then area and level,
//     then area, then level; a requirement no rule matches needs any
//     passing evidence (the plain proven rule).
//   - Two rules with the same selector, an unknown key, kind or level, a
//     malformed require, a full requirement ID given as an area (it wants
//     id) or a wrong version are errors at file:line:col.
//   - Apply turns a proven or flaky requirement whose passing tests lack
//     a required kind into partial and names what is missing (the
//     alternative that needs fewest kinds); it never makes a requirement
//     better than its tests.
package policy
