/*
 * QEMU TCG plugin: guest instructions executed between two marker functions.
 *
 *   qemu-system-* ... -plugin insn_count.so,begin=0xADDR,end=0xADDR[,watch=LO-HI] -d plugin -D counts.log
 *
 * Every execution of the block at @begin prints "begin", and of the
 * translation block that starts at @end one
 * line "insns N stores M": the instructions of the blocks executed since the
 * block at @begin last ran, neither marker block included, and the stores
 * among them to [LO, HI) when given watch=LO-HI (e.g. the Cortex-M7 cache
 * maintenance registers, so a test sees how many lines a call maintained). The firmware calls its
 * begin and end markers (distinct noinline functions) around each measured
 * operation and prints the operation's name itself, in the same order.
 *
 * Counting is per block (its instruction count added inline when it starts),
 * which is exact when no block is left early: the benchmark firmware runs
 * with interrupts off and takes no fault.
 *
 * Debian's QEMU 7.2 ships no qemu-plugin.h, so the few API-v1 declarations
 * used are written out here (QEMU 7.2 include/qemu/qemu-plugin.h,
 * QEMU_PLUGIN_VERSION 1). Build: gcc -shared -fPIC -O2 -o insn_count.so insn_count.c
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
struct qemu_plugin_insn;
typedef uint32_t qemu_plugin_meminfo_t;
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W, QEMU_PLUGIN_MEM_RW };
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info, uint64_t vaddr,
					  void *userdata);

#define EXPORT __attribute__((visibility("default")))

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
					      uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
				      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw, void *userdata);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_outs(const char *string);

EXPORT int qemu_plugin_version = 1;
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);

static uint64_t begin_addr, end_addr;
static uint64_t executed; /* one vCPU: the benchmark machines have one */
static uint64_t at_begin;
static uint64_t watch_lo, watch_hi; /* watch_hi 0: no watch */
static uint64_t stores, stores_at_begin;

static void on_store(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *userdata)
{
	(void)vcpu;
	(void)info;
	(void)userdata;
	if (vaddr >= watch_lo && vaddr < watch_hi)
		stores++;
}

static void on_begin(unsigned int vcpu, void *userdata)
{
	(void)vcpu;
	(void)userdata;
	at_begin = executed;
	stores_at_begin = stores;
	/* so trace lines in the same log (-trace ... -D) fall between this and
	 * the "insns" line of the call they belong to */
	qemu_plugin_outs("begin\n");
}

static void on_end(unsigned int vcpu, void *userdata)
{
	(void)vcpu;
	(void)userdata;
	char line[64];
	snprintf(line, sizeof(line), "insns %" PRIu64 " stores %" PRIu64 "\n", executed - at_begin,
		 stores - stores_at_begin);
	qemu_plugin_outs(line);
}

/* The marker blocks get a callback and no count, every other block its count. */
static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	uint64_t at = qemu_plugin_tb_vaddr(tb);
	if (at == begin_addr)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_begin, QEMU_PLUGIN_CB_NO_REGS, NULL);
	else if (at == end_addr)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_end, QEMU_PLUGIN_CB_NO_REGS, NULL);
	else
		qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed,
							 qemu_plugin_tb_n_insns(tb));
	if (watch_hi)
		for (size_t i = 0; i < qemu_plugin_tb_n_insns(tb); i++)
			qemu_plugin_register_vcpu_mem_cb(qemu_plugin_tb_get_insn(tb, i), on_store,
							 QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_W, NULL);
}

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++) {
		/* Thumb symbols carry bit 0; the block starts at the even address. */
		if (strncmp(argv[i], "begin=", 6) == 0)
			begin_addr = strtoull(argv[i] + 6, NULL, 0) & ~1ull;
		else if (strncmp(argv[i], "end=", 4) == 0)
			end_addr = strtoull(argv[i] + 4, NULL, 0) & ~1ull;
		else if (strncmp(argv[i], "watch=", 6) == 0) {
			char *dash;
			watch_lo = strtoull(argv[i] + 6, &dash, 0);
			watch_hi = *dash == '-' ? strtoull(dash + 1, NULL, 0) : 0;
		}
	}
	if (!begin_addr || !end_addr || begin_addr == end_addr) {
		fprintf(stderr, "insn_count: need distinct begin=ADDR,end=ADDR (and optionally watch=LO-HI)\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	return 0;
}
