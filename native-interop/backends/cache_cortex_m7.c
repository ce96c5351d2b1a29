/*
 * Cortex-M7 data cache maintenance through the SCB (ARMv7-M ARM §B2.2.7,
 * Cortex-M7 TRM DDI0489 §5 / §4.8 cache maintenance operations).
 *
 * By address: DCCMVAC (clean) and DCIMVAC (invalidate), one write per 32-byte
 * line. Whole cache: DCCSW / DCCISW by set and way, geometry from CCSIDR.
 *
 * Barriers: a DSB before the loop makes the CPU's earlier stores reach the
 * cache before their lines are cleaned; DSB after waits until the maintenance
 * is complete (the device may be started right after we return), and ISB
 * keeps later instructions from running ahead of it.
 *
 * @priv: the board (const struct dmabuf_board *). Its dcache_size is the
 * fallback geometry when CCSIDR reads 0, as on QEMU, which accepts the
 * maintenance writes but models no cache; may be NULL when CCSIDR is real.
 */
#if defined(DMABUF_BACKEND_CORTEX_M7)

#include <stdint.h>

#include "dmabuf/board.h"
#include "dmabuf/cache.h"
#include "dmabuf/errors.h"

#define SCB_CCSIDR (*(volatile const uint32_t *)0xE000ED80u) /* cache size ID */
#define SCB_CSSELR (*(volatile uint32_t *)0xE000ED84u)       /* cache size selection */
#define SCB_DCIMVAC (*(volatile uint32_t *)0xE000EF5Cu)      /* invalidate by address */
#define SCB_DCCMVAC (*(volatile uint32_t *)0xE000EF68u)      /* clean by address */
#define SCB_DCCSW (*(volatile uint32_t *)0xE000EF6Cu)        /* clean by set/way */
#define SCB_DCCISW (*(volatile uint32_t *)0xE000EF74u)       /* clean+invalidate by set/way */

/* Fixed by the core, whatever the cache size (TRM §5). Regions may use a
 * larger line (a multiple), never a smaller one. */
#define M7_DCACHE_LINE 32u
#define M7_DCACHE_WAYS 4u

static inline void dsb(void)
{
	__asm volatile("dsb 0xF" ::: "memory");
}

static inline void isb(void)
{
	__asm volatile("isb 0xF" ::: "memory");
}

/*
 * The per-line loop: one write of the line's address to @op (DCCMVAC or
 * DCIMVAC) per hardware line. The step is the hardware line, not the
 * region's: a region line of 64 must still touch both 32-byte halves.
 * Written as a do-while over an end pointer and inlined into each operation
 * (the register address a constant) so -Os gives str / adds / cmp / bhi:
 * four instructions per line.
 */
static inline __attribute__((always_inline)) int by_line(volatile uint32_t *op, void *addr, size_t size,
							 uint32_t line)
{
	if (line % M7_DCACHE_LINE)
		return DMABUF_EINVAL;
	uintptr_t at = (uintptr_t)addr, end = at + size;
	dsb();
	do {
		*op = (uint32_t)at;
		at += M7_DCACHE_LINE;
	} while (at < end);
	dsb();
	isb();
	return 0;
}

static int clean_range(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	return by_line(&SCB_DCCMVAC, addr, size, line);
}

static int invalidate_range(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	return by_line(&SCB_DCIMVAC, addr, size, line);
}

struct geometry {
	uint32_t sets;
	uint32_t ways;
	uint32_t line_shift; /* log2(line bytes): where the set index starts */
};

/* Level 1 data cache geometry: CCSIDR after CSSELR selects L1 D (0), else the
 * board's dcache_size with the core's fixed line and ways. */
static int dcache_geometry(const void *priv, struct geometry *g)
{
	SCB_CSSELR = 0;
	dsb();
	uint32_t ccsidr = SCB_CCSIDR;
	if (ccsidr) {
		g->sets = ((ccsidr >> 13) & 0x7FFFu) + 1;
		g->ways = ((ccsidr >> 3) & 0x3FFu) + 1;
		g->line_shift = (ccsidr & 0x7u) + 4; /* LineSize = log2(words) - 2 */
		return 0;
	}
	const struct dmabuf_board *board = priv;
	if (!board || !board->dcache_size)
		return DMABUF_ENOTSUP;
	g->ways = M7_DCACHE_WAYS;
	g->sets = board->dcache_size / (M7_DCACHE_WAYS * M7_DCACHE_LINE);
	g->line_shift = 5;
	return 0;
}

/* The way index sits in the top bits of the set/way word, from bit
 * 32 - log2(ways); a direct-mapped cache has no way bits. */
static uint32_t way_shift(uint32_t ways)
{
	return ways > 1 ? (uint32_t)__builtin_clz(ways - 1) : 0;
}

static int set_way_all(const void *priv, volatile uint32_t *op)
{
	struct geometry g;
	int err = dcache_geometry(priv, &g);
	if (err)
		return err;
	uint32_t shift = way_shift(g.ways);
	dsb();
	for (uint32_t set = 0; set < g.sets; set++)
		for (uint32_t way = 0; way < g.ways; way++)
			*op = (way << shift) | (set << g.line_shift);
	dsb();
	isb();
	return 0;
}

static int clean_all(void *priv)
{
	return set_way_all(priv, &SCB_DCCSW);
}

static int clean_invalidate_all(void *priv)
{
	return set_way_all(priv, &SCB_DCCISW);
}

const struct dmabuf_cache_ops dmabuf_cache_cortex_m7 = {
	.clean_range = clean_range,
	.invalidate_range = invalidate_range,
	.clean_all = clean_all,
	.clean_invalidate_all = clean_invalidate_all,
};

#endif /* DMABUF_BACKEND_CORTEX_M7 */
