package cli

import (
	"fmt"
	"net/url"
	"strings"
)

// distinct refuses an --engine URL given twice. URLs compare after
// normalising: scheme and host in lower case, the scheme's default port
// dropped, trailing slashes removed.
func (c *common) distinct() error {
	seen := map[string]bool{}
	for _, raw := range c.engines {
		n, err := normalise(raw)
		if err != nil {
			return fmt.Errorf("--engine %q: %v", raw, err)
		}
		if seen[n] {
			return fmt.Errorf("--engine %s given twice: the same replica cannot stand for two", n)
		}
		seen[n] = true
	}
	return nil
}

func normalise(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	scheme := strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		port = ""
	}
	if port != "" {
		host += ":" + port
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6 literal
	}
	return scheme + "://" + host + strings.TrimRight(u.EscapedPath(), "/"), nil
}
