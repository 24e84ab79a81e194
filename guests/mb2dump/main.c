/*
 * What GRUB and the firmware hand a multiboot2 kernel, printed in hex on COM1
 * for tools/capture-seeds.sh to turn into fuzz seeds: the whole multiboot2
 * information block, then every ACPI table reachable from the RSDP of its
 * ACPI tag (the RSDP, the RSDT and XSDT, each table they list, the FADT's
 * DSDT and FACS). Boot it bare from GRUB, never under the hypervisor. Each
 * blob is
 *   mb2dump: begin KIND SIG ADDRESS LENGTH
 *   mb2dump: hex <up to 32 bytes in hex>     (as many as needed)
 *   mb2dump: end
 * and the run ends with "mb2dump: done". Every length is checked against a
 * limit before a byte is read; paging is off, so any address below 4 GiB
 * can be read as it is.
 */
#include "guests/lib/boot.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/string.h"
#include "guests/lib/x86.h"
#include "lib/multiboot2.h"

/* The layouts of x86/acpi.h, which needs a C library's <assert.h>. */
struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __packed;

struct acpi_sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;

/* The FADT fields that point at other tables. */
#define FADT_FIRMWARE_CTRL	36	/* the FACS, 32 bits */
#define FADT_DSDT		40
#define FADT_X_FIRMWARE_CTRL	132	/* 64 bits, ACPI 2.0+ */
#define FADT_X_DSDT		140

const char guest_name[] = "mb2dump";

#define INFO_MAX	KiB(64)		/* a multiboot2 block larger than this is not dumped */
#define TABLE_MAX	KiB(256)	/* nor an ACPI table */
#define TABLES_MAX	64		/* entries read from the RSDT or XSDT */
#define HEX_PER_LINE	32
#define BOCHS_SHUTDOWN_PORT 0x8900	/* "Shutdown" written here stops Bochs */

static const char hexdigits[] = "0123456789abcdef";

/* Prints `len` bytes of `p` as a blob of kind `kind`, signature `sig`. */
static void dump(const char *kind, const char *sig, uint64_t addr, const void *p, uint32_t len)
{
	const uint8_t *b = p;
	char line[2 * HEX_PER_LINE + 1];

	kprintf("mb2dump: begin %s %s 0x%llx %u\n", kind, sig, (unsigned long long)addr, len);
	for (uint32_t off = 0; off < len; off += HEX_PER_LINE) {
		uint32_t n = len - off < HEX_PER_LINE ? len - off : HEX_PER_LINE;

		for (uint32_t i = 0; i < n; i++) {
			line[2 * i] = hexdigits[b[off + i] >> 4];
			line[2 * i + 1] = hexdigits[b[off + i] & 0xf];
		}
		line[2 * n] = '\0';
		kprintf("mb2dump: hex %s\n", line);
	}
	kprintf("mb2dump: end\n");
}

/* Whether [addr, addr + len) lies below 4 GiB, away from page 0. */
static bool readable(uint64_t addr, uint64_t len)
{
	return addr >= 0x1000 && addr < (1ull << 32) && len <= (1ull << 32) - addr;
}

/* Addresses already dumped, so a table listed twice is printed once. */
static uint64_t seen[TABLES_MAX + 8];
static unsigned nr_seen;

static bool already_seen(uint64_t addr)
{
	for (unsigned i = 0; i < nr_seen; i++)
		if (seen[i] == addr)
			return true;
	if (nr_seen < sizeof(seen) / sizeof(seen[0]))
		seen[nr_seen++] = addr;
	return false;
}

/* The SDT at `addr`, dumped if its header and length are sane; NULL if not. */
static const struct acpi_sdt_header *dump_sdt(uint64_t addr)
{
	const struct acpi_sdt_header *h = (const void *)(uintptr_t)addr;
	char sig[5];

	if (!readable(addr, sizeof(*h))) {
		kprintf("mb2dump: skip table at 0x%llx (not below 4 GiB)\n", (unsigned long long)addr);
		return NULL;
	}
	if (already_seen(addr))
		return NULL;
	memcpy(sig, h->signature, 4);
	sig[4] = '\0';
	for (int i = 0; i < 4; i++)
		if (sig[i] < 0x20 || sig[i] > 0x7e)
			sig[i] = '?';
	if (h->length < sizeof(*h) || h->length > TABLE_MAX || !readable(addr, h->length)) {
		kprintf("mb2dump: skip table %s at 0x%llx of length %u\n", sig,
			(unsigned long long)addr, h->length);
		return NULL;
	}
	dump("acpi", sig, addr, h, h->length);
	return h;
}

/* The FACS at `addr` (no SDT header: signature, length, no checksum). */
static void dump_facs(uint64_t addr)
{
	const uint32_t *f = (const void *)(uintptr_t)addr;

	if (!addr || !readable(addr, 8) || already_seen(addr))
		return;
	if (memcmp(f, "FACS", 4) || f[1] < 8 || f[1] > KiB(4) || !readable(addr, f[1])) {
		kprintf("mb2dump: skip FACS at 0x%llx\n", (unsigned long long)addr);
		return;
	}
	dump("acpi", "FACS", addr, f, f[1]);
}

/* The FADT field of `size` bytes at `off`, 0 beyond the table. */
static uint64_t fadt_field(const struct acpi_sdt_header *fadt, uint32_t off, uint32_t size)
{
	uint64_t v = 0;

	if (fadt->length >= off + size)
		memcpy(&v, (const uint8_t *)fadt + off, size);
	return v;
}

/* The FADT's DSDT and FACS, by their 64-bit fields when present and set. */
static void dump_fadt_targets(const struct acpi_sdt_header *fadt)
{
	uint64_t dsdt = fadt_field(fadt, FADT_X_DSDT, 8);
	uint64_t facs = fadt_field(fadt, FADT_X_FIRMWARE_CTRL, 8);

	if (!dsdt)
		dsdt = fadt_field(fadt, FADT_DSDT, 4);
	if (!facs)
		facs = fadt_field(fadt, FADT_FIRMWARE_CTRL, 4);
	if (dsdt)
		dump_sdt(dsdt);
	dump_facs(facs);
}

/* The RSDT (4-byte entries) or XSDT (8-byte entries) and what it lists. */
static void dump_root(uint64_t addr, unsigned entry_size)
{
	const struct acpi_sdt_header *root = dump_sdt(addr);
	const uint8_t *entries;
	uint32_t count;

	if (!root)
		return;
	entries = (const uint8_t *)(root + 1);
	count = (root->length - sizeof(*root)) / entry_size;
	if (count > TABLES_MAX) {
		kprintf("mb2dump: %u entries, reading %u\n", count, TABLES_MAX);
		count = TABLES_MAX;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint64_t pa = 0;
		const struct acpi_sdt_header *t;

		memcpy(&pa, entries + i * entry_size, entry_size);
		t = pa ? dump_sdt(pa) : NULL;
		if (t && !memcmp(t->signature, "FACP", 4))
			dump_fadt_targets(t);
	}
}

/* The RSDP a multiboot2 ACPI tag holds (a copy: its address is the tag's). */
static void dump_acpi(const struct mb2_tag_rsdp *tag)
{
	const struct acpi_rsdp *rsdp = (const void *)tag->rsdp;
	uint32_t have = tag->tag.size - sizeof(*tag);
	uint32_t len = rsdp->revision >= 2 && have >= sizeof(*rsdp) ? sizeof(*rsdp) : 20;

	if (have < 20 || memcmp(rsdp->signature, "RSD PTR ", 8)) {
		kprintf("mb2dump: ACPI tag %u without an RSDP (%u bytes)\n", tag->tag.type, have);
		return;
	}
	dump("rsdp", tag->tag.type == MB2_TAG_ACPI_NEW ? "new" : "old", (uintptr_t)rsdp, rsdp, len);
	if (len == sizeof(*rsdp) && rsdp->xsdt_address)
		dump_root(rsdp->xsdt_address, 8);
	if (rsdp->rsdt_address)
		dump_root(rsdp->rsdt_address, 4);
}

void guest_main(const struct boot_info *bi)
{
	const struct mb2_info_header *info = (const void *)(uintptr_t)boot_info_addr;
	const struct mb2_tag_rsdp *acpi[2] = { NULL, NULL };
	const char *p, *end;

	if (bi->multiboot_version != 2 || !readable(boot_info_addr, sizeof(*info)) ||
	    info->total_size < sizeof(*info) || info->total_size > INFO_MAX ||
	    !readable(boot_info_addr, info->total_size)) {
		fail("no multiboot2 information block to dump");
		return;
	}
	dump("mb2", "info", boot_info_addr, info, info->total_size);
	end = (const char *)info + info->total_size;
	for (p = (const char *)(info + 1); p + sizeof(struct mb2_tag) <= end;) {
		const struct mb2_tag *tag = (const void *)p;

		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag) ||
		    tag->size > (size_t)(end - p))
			break;
		if (tag->type == MB2_TAG_ACPI_NEW)
			acpi[0] = (const void *)tag;
		else if (tag->type == MB2_TAG_ACPI_OLD)
			acpi[1] = (const void *)tag;
		p += ALIGN_UP(tag->size, MB2_TAG_ALIGN);
	}
	/* The newer RSDP reaches the XSDT and the RSDT both. */
	if (acpi[0] || acpi[1])
		dump_acpi(acpi[0] ? acpi[0] : acpi[1]);
	else
		kprintf("mb2dump: no ACPI tag\n");
	kprintf("mb2dump: done\n");
	pass("dumped %u bytes of multiboot2 information", info->total_size);
	/* Bochs has no isa-debug-exit: ask its shutdown port after report_exit's. */
	outb(DEBUG_EXIT_PORT, 0);
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, *s);
}
