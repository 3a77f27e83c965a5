package scheduling

import "slices"

// Chain appends to dst the chained hashes of the full blocks of size
// tokens in tokens and returns the extended slice (OC-CORE-1055). The hash
// of block i covers blocks 0..i, so two prompts share the hash of block i
// exactly when they share their first (i+1)*size tokens (up to hash
// collisions), and a match of block i implies a match of every block
// before it. A trailing partial block has no hash: an engine caches whole
// blocks only. A size below 1 yields no blocks.
//
// The hash is 64-bit FNV-1a over the previous block's hash and the
// block's token ids (each as 4 little-endian bytes), never 0: a zero
// result is replaced by 1, so 0 can mean "no block". It depends only on
// its input, so a client, a dispatcher and the core compute the same
// chain.
func Chain(dst []uint64, tokens []int32, size int) []uint64 {
	if size < 1 {
		return dst
	}
	var prev uint64
	for i := 0; i+size <= len(tokens); i += size {
		h := uint64(fnvOffset)
		h = mix(h, prev)
		for _, t := range tokens[i : i+size] {
			h = mix4(h, uint32(t))
		}
		if h == 0 {
			h = 1
		}
		dst = append(dst, h)
		prev = h
	}
	return dst
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func mix(h, v uint64) uint64 {
	for range 8 {
		h ^= v & 0xff
		h *= fnvPrime
		v >>= 8
	}
	return h
}

func mix4(h uint64, v uint32) uint64 {
	for range 4 {
		h ^= uint64(v & 0xff)
		h *= fnvPrime
		v >>= 8
	}
	return h
}

// CheckBlocks reports why blocks cannot be a chain of at most max block
// hashes, or "" when they can: more than max blocks, a zero hash, or a
// hash that occurs twice (in a chain each hash covers a longer prefix
// than the one before, so a repeat means the list was not built by
// [Chain]). An empty list is a valid chain of no blocks. max below 1
// means no limit on the length.
func CheckBlocks(blocks []uint64, max int) string {
	if max >= 1 && len(blocks) > max {
		return "more blocks than prefix.max_blocks"
	}
	for _, h := range blocks {
		if h == 0 {
			return "a zero block hash"
		}
	}
	if len(blocks) <= 64 {
		for i, h := range blocks {
			if slices.Contains(blocks[:i], h) {
				return "a repeated block hash"
			}
		}
		return ""
	}
	s := slices.Clone(blocks)
	slices.Sort(s)
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			return "a repeated block hash"
		}
	}
	return ""
}
