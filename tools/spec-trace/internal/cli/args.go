package cli

import "flag"

// parseAll parses flags wherever they stand among the arguments and
// returns the positional ones in order: the flag package stops at the
// first non-flag, so parsing resumes after each one. Everything after a
// bare "--" is positional.
func parseAll(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if used := args[:len(args)-len(rest)]; len(used) > 0 && used[len(used)-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
