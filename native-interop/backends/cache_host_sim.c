/*
 * Cache backend for the host simulator: drives the cache model of
 * native-interop/sim, checks every call the core makes against the backend
 * contract (cache.h), counts calls and lines per kind, and can drop calls on
 * purpose (sim_cache_drop) so tests prove each hand-over necessary.
 * Once timed (sim_cache_backend_time), every call's thread CPU time, its own
 * clock readings included, is added to model_ns: what the simulator spent
 * modelling the cache, for measurements that must leave it out.
 */
#include <string.h>

#include "sim.h"

#if defined(DMABUF_DEBUG)
#include <stdio.h>
#endif

void sim_cache_backend_init(struct sim_cache_backend *backend, struct sim_soc *soc)
{
	memset(backend, 0, sizeof(*backend));
	backend->soc = soc;
}

void sim_cache_backend_time(struct sim_cache_backend *backend)
{
	backend->clock_read_ns = sim_thread_cpu_read_ns();
	backend->timed = true;
}

void sim_cache_backend_reset_counts(struct sim_cache_backend *backend)
{
	memset(backend->calls, 0, sizeof(backend->calls));
	memset(backend->lines, 0, sizeof(backend->lines));
	memset(backend->dropped, 0, sizeof(backend->dropped));
	backend->violations = 0;
	backend->model_ns = 0;
}

/* Where a timed call starts on the thread CPU clock (0 untimed). */
static uint64_t model_start(const struct sim_cache_backend *backend)
{
	return backend->timed ? sim_thread_cpu_ns() : 0;
}

/* Ends a call that started at @start (model_start); passes @err through.
 * The two readings cost two readings, one of which lies between them. */
static int modelled(struct sim_cache_backend *backend, uint64_t start, int err)
{
	if (backend->timed)
		backend->model_ns += sim_thread_cpu_ns() - start + backend->clock_read_ns;
	return err;
}

void sim_cache_drop(struct sim_cache_backend *backend, enum sim_cache_op op, uint32_t skip,
		    uint32_t count)
{
	backend->drop_skip[op] = skip;
	backend->drop_count[op] = count;
}

/* Consume the armed fault for one checked call of kind @op: true = skip it. */
static bool drop_this_call(struct sim_cache_backend *backend, enum sim_cache_op op)
{
	if (backend->drop_count[op] == 0)
		return false;
	if (backend->drop_skip[op] > 0) {
		backend->drop_skip[op]--;
		return false;
	}
	if (backend->drop_count[op] != SIM_DROP_ALL)
		backend->drop_count[op]--;
	backend->dropped[op]++;
	return true;
}

static int checked_range_call(struct sim_cache_backend *backend, void *addr, size_t size,
			      uint32_t line, enum sim_cache_op op)
{
	const char *rule;
	if (sim_cache_check(backend->soc, addr, size, line, &rule) != 0) {
		backend->violations++;
#if defined(DMABUF_DEBUG)
		fprintf(stderr, "cache_host_sim: %s: %s (%p+%zu, line %u)\n",
			op == SIM_CACHE_CLEAN ? "clean_range" : "invalidate_range", rule, addr, size, line);
#endif
		return DMABUF_EINVAL;
	}
	if (drop_this_call(backend, op))
		return 0;
	backend->calls[op]++;
	backend->lines[op] += (uint32_t)(size / line);
	return op == SIM_CACHE_CLEAN ? sim_cache_clean(backend->soc, addr, size)
				     : sim_cache_invalidate(backend->soc, addr, size);
}

static int range_call(void *priv, void *addr, size_t size, uint32_t line, enum sim_cache_op op)
{
	struct sim_cache_backend *backend = priv;
	uint64_t start = model_start(backend);
	return modelled(backend, start, checked_range_call(backend, addr, size, line, op));
}

static int clean_range(void *priv, void *addr, size_t size, uint32_t line)
{
	return range_call(priv, addr, size, line, SIM_CACHE_CLEAN);
}

static int invalidate_range(void *priv, void *addr, size_t size, uint32_t line)
{
	return range_call(priv, addr, size, line, SIM_CACHE_INVALIDATE);
}

static int whole_cache_call(void *priv, enum sim_cache_op op, void (*model)(struct sim_soc *))
{
	struct sim_cache_backend *backend = priv;
	uint64_t start = model_start(backend);
	if (!drop_this_call(backend, op)) {
		backend->calls[op]++;
		model(backend->soc);
	}
	return modelled(backend, start, 0);
}

static int clean_all(void *priv)
{
	return whole_cache_call(priv, SIM_CACHE_CLEAN_ALL, sim_cache_clean_all);
}

static int clean_invalidate_all(void *priv)
{
	return whole_cache_call(priv, SIM_CACHE_CLEAN_INVALIDATE_ALL, sim_cache_clean_invalidate_all);
}

const struct dmabuf_cache_ops dmabuf_cache_host_sim = {
	.clean_range = clean_range,
	.invalidate_range = invalidate_range,
	.clean_all = clean_all,
	.clean_invalidate_all = clean_invalidate_all,
};
