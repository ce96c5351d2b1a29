/*
 * The boards compiled into every build (one file per board in boards/).
 *
 * Add a board: define `const struct dmabuf_board dmabuf_board_<name>` in its own
 * file here, with a source for every number, and list it once below.
 */
#ifndef DMABUF_BOARDS_H
#define DMABUF_BOARDS_H

#include "dmabuf/board.h"

#define DMABUF_BOARDS(X)                                                                           \
	X(dmabuf_board_stm32f769i_disco)                                                           \
	X(dmabuf_board_esp32s3_octal_psram)                                                        \
	X(dmabuf_board_esp32p4)                                                                    \
	X(dmabuf_board_esp32)                                                                      \
	X(dmabuf_board_qemu_mps2_an500)                                                            \
	X(dmabuf_board_qemu_riscv32_virt)

#define DMABUF_BOARD_DECLARE(symbol) extern const struct dmabuf_board symbol;
DMABUF_BOARDS(DMABUF_BOARD_DECLARE)
#undef DMABUF_BOARD_DECLARE

#endif /* DMABUF_BOARDS_H */
