// Package waiver reads the waiver file (.specs/waivers.yaml) and applies
// it to a report.
//
// The file:
//
//	waivers:
//	  - id: OC-CORE-1002
//	    reason: the scenario needs the chaos runner (issue 31)
//	    owner: ana
//	    expires: 2026-12-31
//
// Guarantees:
//   - Every entry has id, reason, owner and expires (YYYY-MM-DD); a
//     missing or unknown key, a date that does not parse, a duplicate id
//     or malformed YAML is an error at file:line:col. An empty or absent
//     file means no waivers.
//   - A waiver holds through its expiry date and ends the day after.
//   - Apply makes a requirement that is not proven `waived` (never
//     proven; the status it had is kept in Was) while its waiver holds;
//     an expired waiver, or one for an ID that no spec defines, is a gate
//     finding in Report.Gates and leaves the status as it was; a waiver
//     for a proven requirement is noted as no longer needed.
package waiver
