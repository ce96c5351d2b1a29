/* Host entry point: `dmabuf_tests [suite]` runs every suite or the one named. */
#include <stddef.h>

#include "unit.h"

#define SUITE(name) extern const struct unit_suite suite_##name;
#include "core_suites.h"
#include "host_suites.h"
#undef SUITE

#define SUITE(name) &suite_##name,
static const struct unit_suite *const suites[] = {
#include "core_suites.h"
#include "host_suites.h"
	NULL
};
#undef SUITE

int main(int argc, char **argv)
{
	size_t count = sizeof(suites) / sizeof(suites[0]) - 1;
	return unit_run(suites, count, argc > 1 ? argv[1] : NULL) ? 1 : 0;
}
