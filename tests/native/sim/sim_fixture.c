#include <stddef.h>

#include "sim/sim_fixture.h"

static struct test_board board;
static struct sim_soc *current;

struct sim_soc *sim_fixture_soc(uint32_t line, uint64_t seed)
{
	sim_destroy(current);
	current = NULL;
	if (sim_create(test_board_build(&board, line, 0), seed, &current) != 0)
		return NULL;
	return current;
}

uint8_t *sim_fixture_view(struct sim_soc *soc, uint32_t region)
{
	return sim_region_memory(soc)[region];
}

uint8_t *sim_fixture_bus(struct sim_soc *soc, uint32_t region)
{
	const struct dmabuf_region_desc *desc = &sim_board(soc)->regions[region];
	return sim_bus(soc, desc->bus_base, desc->size);
}

void sim_fixture_fill(uint8_t *bytes, uint32_t length, uint64_t seed)
{
	for (uint32_t i = 0; i < length; i++)
		bytes[i] = (uint8_t)(sim_prng_next(&seed) >> 56);
}
