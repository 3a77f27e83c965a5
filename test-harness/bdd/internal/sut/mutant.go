package sut

import (
	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
)

// mutant is a System whose pools are real pools with one deliberate
// fault: a changed configuration (edit), a wrapper around the pool
// (wrap), or both. Either way FromConfig gets the same fault as NewPool.
type mutant struct {
	name string
	// edit changes the configuration before the pool is built; it must
	// not write into slices it shares with the caller.
	edit func(*core.Config)
	// wrap puts the faulty behavior around the pool built from cfg.
	wrap func(p Pool, cfg core.Config) Pool
}

func (m mutant) Name() string { return m.name }

func (m mutant) NewPool(cfg core.Config) (Pool, error) {
	if m.edit != nil {
		m.edit(&cfg)
	}
	p, err := core.New(cfg)
	if err != nil {
		return nil, err
	}
	return m.around(p, cfg), nil
}

func (m mutant) FromConfig(c *config.Config, pool string, opts ...core.Option) (Pool, error) {
	var final core.Config
	opts = append(opts, func(cfg *core.Config) {
		if m.edit != nil {
			m.edit(cfg)
		}
		final = *cfg
	})
	p, err := core.FromConfig(c, pool, opts...)
	if err != nil {
		return nil, err
	}
	return m.around(p, final), nil
}

func (m mutant) around(p *core.Pool, cfg core.Config) Pool {
	if m.wrap == nil {
		return p
	}
	return m.wrap(p, cfg)
}
