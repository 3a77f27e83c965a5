package steps

import (
	"fmt"

	"github.com/cucumber/godog"

	"orchcore.dev/orchestrator-core/scheduling"
)

// reqs is the model-requirements part of a scenario.
type reqs struct {
	cat   scheduling.Catalog
	caps  scheduling.Capabilities
	built *scheduling.Request
}

func (w *world) requirementSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the catalog lists model (\S+) with quant (\S+) and no digest$`, func(model, quant string) {
		w.cat = scheduling.Catalog{ModelID: model, Quant: scheduling.Some(quant)}
	})
	sc.Step(`^the engine reports a context window of (\d+) and no template overhead$`, func(n int) {
		w.caps = scheduling.Capabilities{CtxWindow: scheduling.Some(n)}
	})
	sc.Step(`^the engine reports a context window of (\d+) and a template overhead of (\d+)$`, func(n, o int) {
		w.caps = scheduling.Capabilities{CtxWindow: scheduling.Some(n), TemplateOverhead: scheduling.Some(o)}
	})
	sc.Step(`^the model requirements are built$`, func() {
		r := scheduling.NewRequest(w.cat, w.caps)
		w.built = &r
	})
	sc.Step(`^the requirement (\w+) is (\S+)$`, w.requirementIs)
	sc.Step(`^a job with these requirements is placed$`, func() error {
		if w.built == nil {
			return fmt.Errorf("the requirements were not built")
		}
		t := w.newJob()
		t.Model = *w.built
		_, err := w.place(t)
		return err
	})
}

func (w *world) requirementIs(field, want string) error {
	if w.built == nil {
		return fmt.Errorf("the requirements were not built")
	}
	r := w.built
	var got string
	switch field {
	case "model_id":
		got = r.ModelID
	case "model_digest":
		got = r.ModelDigest.String()
	case "quant":
		got = r.Quant.String()
	case "ctx_max":
		got = r.CtxMax.String()
	case "streaming":
		got = r.Streaming.String()
	default:
		return fmt.Errorf("unknown requirement field %q", field)
	}
	if got != want {
		return fmt.Errorf("want %s %s, got %s", field, want, got)
	}
	return nil
}
