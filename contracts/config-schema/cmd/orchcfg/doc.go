// Command orchcfg validates orchestrator configuration files and prints
// their JSON Schema.
//
//	orchcfg validate [--mode strict|compat] FILE...
//	orchcfg schema
//
// validate prints one line per problem, FILE:LINE:COL: PATH: message, and
// exits 0 when every file is valid (warnings do not count), 1 when any file
// is invalid, and 2 on a usage error or a file that cannot be read.
//
// Guarantees:
//   - Exit status 0 means every file is valid; warnings alone never fail.
//   - Each problem is exactly one line on standard output; usage and read
//     errors go to standard error and name the file.
//   - `orchcfg schema` prints the embedded schema byte for byte.
package main
