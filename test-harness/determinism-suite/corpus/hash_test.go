package corpus_test

import (
	"crypto/sha256"
	"fmt"
)

func sha256Hex(b []byte) string { return fmt.Sprintf("%x", sha256.Sum256(b)) }
