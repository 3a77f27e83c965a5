package queue

import "unsafe"

// NodeSize is the size in bytes of one arena slot of a Queue[int], what
// the floor benchmark lays its working set out in.
const NodeSize = unsafe.Sizeof(node[int]{})
