/*
 * On-target entry point: runs every portable suite (tests/native/core_suites.h,
 * the very sources the host runs) and the firmware's own suites (its
 * target_suites.h), then exits with the number of failed tests, which QEMU
 * turns into its exit status (ARM semihosting exit / SiFive test device).
 */
#include <stddef.h>
#include <stdio.h>

#include "target.h"
#include "unit.h"

#define SUITE(name) extern const struct unit_suite suite_##name;
#include "core_suites.h"
#include "target_suites.h"
#undef SUITE

#define SUITE(name) &suite_##name,
static const struct unit_suite *const suites[] = {
#include "core_suites.h"
#include "target_suites.h"
	NULL
};
#undef SUITE

int main(void)
{
	target_init();
	printf("dmabuf on-target tests: %s\n", target_name);
	return unit_run(suites, sizeof(suites) / sizeof(suites[0]) - 1, NULL);
}
