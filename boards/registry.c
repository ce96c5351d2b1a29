/* The table of compiled-in boards: add a board by defining its
 * `const struct dmabuf_board dmabuf_board_<name>` in its own file here and
 * listing it in boards.h. */
#include <string.h>

#include "boards.h"

#define BOARD_ENTRY(symbol) &symbol,
static const struct dmabuf_board *const boards[] = { DMABUF_BOARDS(BOARD_ENTRY) };

const struct dmabuf_board *dmabuf_board_at(uint32_t index)
{
	return index < sizeof(boards) / sizeof(boards[0]) ? boards[index] : NULL;
}

const struct dmabuf_board *dmabuf_board_find(const char *name)
{
	if (!name)
		return NULL;
	for (uint32_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++)
		if (strcmp(boards[i]->name, name) == 0)
			return boards[i];
	return NULL;
}
