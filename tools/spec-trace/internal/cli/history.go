package cli

import "orchcore.dev/tools/spec-trace/internal/model"

func appendHistory(rep *model.Report, o *options, warn func(string)) error { return nil }
