/* Monitor commands about guest memory and the memory core: dumps of
 * guest-virtual and guest-physical memory, one address walked through the
 * guest's page tables and then the TDP tables, the memslots, the TDP MMU's
 * counters and the rmaps. */
#include "hv/console/monitor_cmd.h"
#include "hv/guest_mem.h"
#include "hv/vm.h"
#include "mm/page.h"
#include "mm/rmap.h"
#include "mm/tdp_lookup.h"

#define DUMP_MAX	4096
#define DUMP_DEFAULT	64
#define DUMP_ROW	16

/* Print `len` bytes read from `addr` as hex and ASCII, 16 to a row. */
static void hexdump(uint64_t addr, const uint8_t *bytes, size_t len)
{
	for (size_t row = 0; row < len; row += DUMP_ROW) {
		char ascii[DUMP_ROW + 1];
		size_t n = MIN((size_t)DUMP_ROW, len - row);

		mon_printf("%016llx:", (unsigned long long)(addr + row));
		for (size_t i = 0; i < DUMP_ROW; i++) {
			if (i < n)
				mon_printf(" %02x", bytes[row + i]);
			else
				mon_printf("   ");
			ascii[i] = i < n && bytes[row + i] >= 0x20 && bytes[row + i] < 0x7f ?
					   (char)bytes[row + i] : i < n ? '.' : '\0';
		}
		ascii[n] = '\0';
		mon_printf("  %s\n", ascii);
	}
}

/* The address and length arguments of x and xp. */
static bool dump_args(int argc, char **argv, uint64_t *addr, uint64_t *len)
{
	*len = DUMP_DEFAULT;
	return mon_number(argv[2], "address", UINT64_MAX, addr) &&
	       (argc < 4 || mon_number(argv[3], "LEN", DUMP_MAX, len));
}

static enum mon_result xp(int argc, char **argv)
{
	static uint8_t buf[DUMP_MAX];
	struct vm *vm = mon_vm(argv[1]);
	uint64_t gpa, len;

	if (!vm || !dump_args(argc, argv, &gpa, &len))
		return MON_USAGE;
	if (!mon_vm_lock(vm))
		return MON_DONE;
	if (guest_phys_read(vm, gpa, buf, len))
		hexdump(gpa, buf, len);
	else
		mon_printf("%#llx..%#llx is not all guest RAM of vm %s\n", (unsigned long long)gpa,
			   (unsigned long long)(gpa + len - 1), vm->name);
	mon_vm_unlock(vm);
	return MON_DONE;
}

static const char *const walk_errors[] = {
	[GWALK_PAGE_FAULT] = "a page fault",
	[GWALK_NONCANONICAL] = "not canonical",
	[GWALK_BAD_TABLE] = "a page table outside guest RAM",
};

static enum mon_result x(int argc, char **argv)
{
	static uint8_t buf[DUMP_MAX];
	struct vm *vm = mon_vm(argv[1]);
	struct gwalk_result r;
	enum gwalk_status st;
	struct vcpu *v;
	uint64_t gva, len;

	if (!vm || !dump_args(argc, argv, &gva, &len))
		return MON_USAGE;
	if (!mon_vm_lock(vm))
		return MON_DONE;
	v = mon_paused_vcpu(vm, NULL);
	if (v) {
		st = guest_virt_read(v, &v->paused_sregs, gva, buf, len, 0, &r);
		if (st == GWALK_OK)
			hexdump(gva, buf, len);
		else
			mon_printf("%#llx..%#llx does not translate on vcpu0: %s (error code %#x)\n",
				   (unsigned long long)gva, (unsigned long long)(gva + len - 1),
				   walk_errors[st], r.pf_error);
	}
	mon_vm_unlock(vm);
	return MON_DONE;
}

/* "4 KiB", "2 MiB", ... for a page of 2^shift bytes. */
static const char *page_size_name(unsigned shift)
{
	switch (shift) {
	case 30:
		return "1 GiB";
	case 22:
		return "4 MiB";
	case 21:
		return "2 MiB";
	}
	return "4 KiB";
}

/* The guest's entries of a walk, top level first. */
static void print_guest_walk(const struct gwalk_result *r)
{
	for (unsigned i = 0; i < r->levels; i++)
		mon_printf("  guest L%u  entry at gpa %#llx = %016llx\n", r->levels - i,
			   (unsigned long long)r->entry_gpa[i], (unsigned long long)r->entry[i]);
}

/* The TDP entries that map `gpa`, down to the host frame. */
static void print_tdp_walk(struct vm *vm, uint64_t gpa)
{
	const struct tdp_pte_ops *ops = vm->mmu.ops;
	struct tdp_lookup t;

	tdp_mmu_lookup(&vm->mmu, gpa, &t);
	for (unsigned i = 0; i < t.levels; i++) {
		uint64_t pte = t.pte[i];
		bool leaf = ops->is_present(pte) && ops->is_leaf(pte, t.level[i]);
		unsigned perms = leaf ? ops->perms(pte) : 0;

		mon_printf("  %s L%d  %016llx%s%s%s%s\n", ops->name, t.level[i], (unsigned long long)pte,
			   !ops->is_present(pte) ? "  not present" : leaf ? "  leaf " : "  table",
			   perms & TDP_PERM_READ ? "r" : leaf ? "-" : "",
			   perms & TDP_PERM_WRITE ? "w" : leaf ? "-" : "",
			   perms & TDP_PERM_EXEC ? "x" : leaf ? "-" : "");
	}
	if (t.mapped)
		mon_printf("  gpa %#llx -> host %#llx (%s page)\n", (unsigned long long)gpa,
			   (unsigned long long)t.hpa,
			   page_size_name(PAGE_SHIFT + TDP_LEVEL_BITS * (t.level[t.levels - 1] - 1)));
	else
		mon_printf("  gpa %#llx is not mapped in the %s tables (yet: mapped at first access)\n",
			   (unsigned long long)gpa, ops->name);
}

static enum mon_result walk(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);
	struct gwalk_result r;
	enum gwalk_status st;
	struct vcpu *v;
	uint64_t gva;

	if (!vm || !mon_number(argv[2], "GVA", UINT64_MAX, &gva))
		return MON_USAGE;
	if (!mon_vm_lock(vm))
		return MON_DONE;
	v = mon_paused_vcpu(vm, NULL);
	if (v) {
		st = guest_translate(v, &v->paused_sregs, gva, 0, &r);
		mon_printf("gva %#llx on vm %s vcpu0:\n", (unsigned long long)gva, vm->name);
		print_guest_walk(&r);
		if (st == GWALK_OK) {
			mon_printf("  -> gpa %#llx (%s page, %s%s%s)\n", (unsigned long long)r.gpa,
				   page_size_name(r.page_shift),
				   r.writable ? "writable" : "read-only", r.user ? ", user" : "",
				   r.executable ? ", executable" : ", no-execute");
			print_tdp_walk(vm, r.gpa);
		} else {
			mon_printf("  -> %s (error code %#x)\n", walk_errors[st], r.pf_error);
		}
	}
	mon_vm_unlock(vm);
	return MON_DONE;
}

static enum mon_result memslots(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);
	const struct memslot_set *set;

	if (!vm)
		return MON_USAGE;
	if (!mon_vm_lock(vm))
		return MON_DONE;
	rcu_read_lock();
	set = memslots_active(&vm->slots, 0);
	mon_printf("vm %s: %u memslots, generation %llu\n", vm->name, set->count,
		   (unsigned long long)set->generation);
	mon_printf("  id  %-18s %-18s %10s  %-18s flags\n", "gpa", "end", "MiB", "host");
	for (uint32_t i = 0; i < set->count; i++) {
		const struct memslot *s = &set->slots[i];

		mon_printf("%4u  %#-18llx %#-18llx %10llu  %#-18llx %s%s%s\n", s->id,
			   (unsigned long long)(s->base_gfn << 12),
			   (unsigned long long)((s->base_gfn + s->npages) << 12),
			   (unsigned long long)(s->npages >> 8), (unsigned long long)s->host,
			   s->flags & MEMSLOT_READONLY ? "readonly " : "",
			   s->flags & MEMSLOT_DIRTY_LOG ? "dirty-log " : "",
			   s->rmap ? "rmap" : "");
	}
	rcu_read_unlock();
	mon_vm_unlock(vm);
	return MON_DONE;
}

static enum mon_result tdp(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);
	const struct mm_stats *st;

	if (!vm)
		return MON_USAGE;
	if (!mon_vm_lock(vm))
		return MON_DONE;
	st = &vm->mmu.stats;
	mon_printf("vm %s: %s, %d levels, root at %#llx\n", vm->name, vm->mmu.ops->name,
		   vm->mmu.root_level, (unsigned long long)tdp_mmu_root_pa(&vm->mmu));
	mon_printf("  pages mapped: 4K %llu, 2M %llu, 1G %llu\n",
		   (unsigned long long)mm_stat_read(&st->pages_mapped[1]),
		   (unsigned long long)mm_stat_read(&st->pages_mapped[2]),
		   (unsigned long long)mm_stat_read(&st->pages_mapped[3]));
	mon_printf("  table pages: %llu in use (%llu linked, %llu freed), %llu KiB with records\n",
		   (unsigned long long)(mm_stat_read(&st->pt_pages_alloc) -
					mm_stat_read(&st->pt_pages_freed)),
		   (unsigned long long)mm_stat_read(&st->pt_pages_alloc),
		   (unsigned long long)mm_stat_read(&st->pt_pages_freed),
		   (unsigned long long)(mm_stat_read(&st->table_bytes) >> 10));
	mon_printf("  faults %llu, TLB flushes done %llu of %llu requested, zap yields %llu\n",
		   (unsigned long long)mm_stat_read(&st->faults),
		   (unsigned long long)mm_stat_read(&st->tlb_flushes),
		   (unsigned long long)mm_stat_read(&st->tlb_flush_requests),
		   (unsigned long long)mm_stat_read(&st->zap_yields));
	mon_vm_unlock(vm);
	return MON_DONE;
}

static enum mon_result rmaps(int argc, char **argv)
{
	struct vm *vm = mon_vm(argv[1]);

	if (!vm)
		return MON_USAGE;
	if (!mon_vm_lock(vm))
		return MON_DONE;
	if (memslots_have_rmaps(&vm->slots))
		mon_printf("vm %s: rmaps allocated, %llu bytes\n", vm->name,
			   (unsigned long long)mm_stat_read(&vm->mmu.stats.rmap_bytes));
	else
		mon_printf("vm %s: no rmaps (allocated only when a shadow MMU is needed for a "
			   "nested guest), 0 bytes\n", vm->name);
	mon_vm_unlock(vm);
	return MON_DONE;
}

const struct mon_cmd mon_mem_cmds[] = {
	{ "x", "VM GVA [LEN]", "dump memory at a guest-virtual address (vcpu0, paused)", 2, 3, x },
	{ "xp", "VM GPA [LEN]", "dump guest-physical memory (LEN up to 4096, default 64)", 2, 3,
	  xp },
	{ "walk", "VM GVA", "an address through the guest's page tables, then the TDP tables",
	  2, 2, walk },
	{ "memslots", "VM", "its memslots: guest range, size, host memory, flags", 1, 1,
	  memslots },
	{ "tdp", "VM", "its TDP MMU: pages mapped per size, table pages, faults, flushes", 1, 1,
	  tdp },
	{ "rmaps", "VM", "whether its rmaps exist, and their bytes", 1, 1, rmaps },
	{ 0 },
};
