/*
 * Names of the error codes (errors.h), for logs and tests.
 *
 * A code table and the names packed in one string: a third of the code of a
 * switch, whose compare-and-branch per case costs more than the name itself.
 * The two lists run in the same order (checked name by name in
 * tests/native/core/lifecycle_test.c); "E?" closes the string for codes not
 * in the table.
 */
#include <stdint.h>

#include "dmabuf/errors.h"

static const int8_t codes[] = {
	DMABUF_OK,     DMABUF_EPERM,  DMABUF_ENOENT, DMABUF_EIO,     DMABUF_EBADF,
	DMABUF_EAGAIN, DMABUF_ENOMEM, DMABUF_EFAULT, DMABUF_EBUSY,   DMABUF_EEXIST,
	DMABUF_EINVAL, DMABUF_EDOM,   DMABUF_ERANGE, DMABUF_ENOTSUP, DMABUF_ESHUTDOWN,
	DMABUF_ETIMEDOUT,
};

static const char names[] = "OK\0EPERM\0ENOENT\0EIO\0EBADF\0EAGAIN\0ENOMEM\0EFAULT\0EBUSY\0EEXIST\0EINVAL\0"
			    "EDOM\0ERANGE\0ENOTSUP\0ESHUTDOWN\0ETIMEDOUT\0E?";

const char *dmabuf_strerror(int err)
{
	const char *name = names;
	for (uint32_t i = 0; i < sizeof(codes) && codes[i] != err; i++)
		while (*name++)
			;
	return name;
}
