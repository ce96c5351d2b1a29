/* The thread CPU clock of sim.h (sim_thread_cpu_ns). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, before any system header */
#include <stdlib.h>
#include <time.h>

#include "sim.h"

uint64_t sim_thread_cpu_ns(void)
{
	/* The calling thread's own CPU clock with a valid pointer cannot fail on
	 * a POSIX host (the host build's only kind), so the result goes unchecked. */
	struct timespec now = { 0, 0 };
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static int compare_ns(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

uint64_t sim_thread_cpu_read_ns(void)
{
	enum { SAMPLES = 101 };
	uint64_t sample[SAMPLES];
	for (int i = 0; i < SAMPLES; i++) {
		uint64_t first = sim_thread_cpu_ns();
		sample[i] = sim_thread_cpu_ns() - first;
	}
	qsort(sample, SAMPLES, sizeof(sample[0]), compare_ns);
	return sample[SAMPLES / 2];
}
