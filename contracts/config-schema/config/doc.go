// Package config defines the orchestrator configuration as Go types. The
// types are the source of truth of the file format: the JSON Schema in
// package schema is generated from them and their doc comments. Reading and
// checking a file is package load's job.
//
// Guarantees:
//   - The package imports nothing but the standard library, so a consumer of
//     the types (the orchestrator core) pulls in no YAML or schema library.
//   - Every field's json tag is its name in the file; the jsonschema tags and
//     doc comments are what the generated schema says about it.
//   - Defaults are explicit and stateless: Classes, AdmissionPolicy and
//     FairnessPolicy return the documented default when a field is unset, and
//     DefaultClasses returns a fresh copy each call.
//   - Quota resolves a tenant to its own entry, else the AnyTenant entry,
//     else none (unlimited).
package config
