/*
 * Names of the error codes (errors.h), for logs and tests.
 */
#include "dmabuf/errors.h"

const char *dmabuf_strerror(int err)
{
	switch (err) {
	case DMABUF_OK:
		return "OK";
	case DMABUF_EPERM:
		return "EPERM";
	case DMABUF_ENOENT:
		return "ENOENT";
	case DMABUF_EIO:
		return "EIO";
	case DMABUF_EBADF:
		return "EBADF";
	case DMABUF_ENOMEM:
		return "ENOMEM";
	case DMABUF_EFAULT:
		return "EFAULT";
	case DMABUF_EBUSY:
		return "EBUSY";
	case DMABUF_EEXIST:
		return "EEXIST";
	case DMABUF_EINVAL:
		return "EINVAL";
	case DMABUF_ERANGE:
		return "ERANGE";
	case DMABUF_ENOTSUP:
		return "ENOTSUP";
	case DMABUF_ETIMEDOUT:
		return "ETIMEDOUT";
	}
	return "E?";
}
