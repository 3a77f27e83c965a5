// Package lru is the core's bounded table: a map from string keys to
// values with a recency order, evicting the least recently used entry
// when it holds more than its bound.
//
// Guarantees:
//   - Put and Touch make an entry the most recent; Get does not change
//     the order. Eviction takes the least recent entry, so which entry is
//     evicted depends only on the sequence of calls: no clock, no
//     randomness, no map iteration order (the order is a linked list).
//   - Len never exceeds the bound after Put returns; every evicted entry
//     is passed to the eviction function, least recent first.
//   - Put, Get, Touch and Delete are O(1); memory is O(bound).
//   - Not safe for concurrent use; the Pool serializes access.
package lru
