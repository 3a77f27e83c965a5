package model

import "fmt"

// VocabSize is the number of tokens: newline plus printable ASCII 32..126.
const VocabSize = 96

// Newline is the token id of '\n'; it also pads contexts shorter than two
// tokens.
const Newline = 0

// TokenByte returns the byte that token id stands for.
func TokenByte(id int) byte {
	if id == Newline {
		return '\n'
	}
	return byte(id + 31)
}

// ByteToken returns the token id of b and whether b is in the vocabulary.
func ByteToken(b byte) (int, bool) {
	switch {
	case b == '\n':
		return Newline, true
	case b >= 32 && b <= 126:
		return int(b) - 31, true
	}
	return 0, false
}

// Tokenize maps each byte of s to its token. It fails on the first byte
// outside the vocabulary, naming its offset.
func Tokenize(s string) ([]int, error) {
	ids := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		id, ok := ByteToken(s[i])
		if !ok {
			return nil, fmt.Errorf("byte 0x%02x at offset %d is outside the vocabulary (newline and printable ASCII)", s[i], i)
		}
		ids[i] = id
	}
	return ids, nil
}

// Detokenize returns the text of ids.
func Detokenize(ids []int) string {
	b := make([]byte, len(ids))
	for i, id := range ids {
		b[i] = TokenByte(id)
	}
	return string(b)
}
