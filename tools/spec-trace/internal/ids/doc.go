// Package ids reads requirement identifiers such as OC-CORE-1001 and
// ranges such as OC-CORE-1001..1005.
//
// Guarantees:
//   - An ID is PREFIX-NNNN: PREFIX starts with an uppercase letter and holds
//     uppercase letters, digits and hyphens; NNNN is one or more digits.
//   - A range PREFIX-NNNN..MMMM (or PREFIX-NNNN..PREFIX-MMMM) expands to every
//     ID in between, keeping the width of the first number; an empty or
//     reversed range, or one longer than MaxRange, is an error.
//   - Less orders IDs by prefix, then by number as a number, so
//     OC-CORE-999 sorts before OC-CORE-1000; the order is total and stable.
package ids
