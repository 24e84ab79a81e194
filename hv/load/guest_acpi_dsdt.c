/* The VM's DSDT, in AML written by hand: the _S5 package Linux reads for
 * ACPI power-off, and COM1 as a PNP0501 device with its ports and IRQ.
 * Nested terms carry a PkgLength, which counts its own bytes, so each one
 * is written after its body and the body moved up to make room. */
#include "hv/load/guest_image.h"
#include "x86/acpi.h"
#include "x86/pc.h"

#define AML_MAX		256	/* the body is fixed, under 100 bytes */

struct aml {
	uint8_t buf[AML_MAX];
	size_t len;
};

static void emit(struct aml *a, const void *bytes, size_t n)
{
	memcpy(a->buf + a->len, bytes, n);
	a->len += n;
}

static void emit_byte(struct aml *a, uint8_t b)
{
	emit(a, &b, 1);
}

/* An integer constant in the shortest encoding (up to a DWord). */
static void emit_integer(struct aml *a, uint32_t v)
{
	if (v <= 1) {
		emit_byte(a, v ? AML_ONE_OP : AML_ZERO_OP);
	} else if (v <= 0xff) {
		emit_byte(a, AML_BYTE_PREFIX);
		emit_byte(a, (uint8_t)v);
	} else {
		emit_byte(a, AML_DWORD_PREFIX);
		emit(a, &v, 4);
	}
}

/* Name(name, ...): the value follows. `name` is a NameString ("_S5_"). */
static void emit_name(struct aml *a, const char *name)
{
	emit_byte(a, AML_NAME_OP);
	emit(a, name, strlen(name));
}

/* Prefix the body written since `start` with its PkgLength (1 or 2 bytes:
 * bodies here stay below 4 KiB). */
static void close_package(struct aml *a, size_t start)
{
	size_t body = a->len - start, size = body + 1 < 0x40 ? 1 : 2, total = body + size;

	memmove(a->buf + start + size, a->buf + start, body);
	if (size == 1) {
		a->buf[start] = (uint8_t)total;
	} else {
		a->buf[start] = (uint8_t)(0x40 | (total & 0x0f));
		a->buf[start + 1] = (uint8_t)(total >> 4);
	}
	a->len += size;
}

/* Name(_S5, Package() { SLP_TYPa, SLP_TYPb, 0, 0 }). */
static void emit_s5(struct aml *a)
{
	size_t start;

	emit_name(a, "\\_S5_");
	emit_byte(a, AML_PACKAGE_OP);
	start = a->len;
	emit_byte(a, 4);	/* NumElements */
	emit_integer(a, PC_S5_SLP_TYP);
	emit_integer(a, PC_S5_SLP_TYP);
	emit_integer(a, 0);
	emit_integer(a, 0);
	close_package(a, start);
}

/* COM1's resources: IO(Decode16, base, base, 1, 8), IRQNoFlags() { irq },
 * EndTag (ACPI spec, "Resource Data Types for ACPI"). */
static void emit_com1_crs(struct aml *a)
{
	const uint8_t crs[] = {
		0x47, 0x01, PC_COM1_PORT & 0xff, PC_COM1_PORT >> 8,
		PC_COM1_PORT & 0xff, PC_COM1_PORT >> 8, 0x01, 0x08,
		0x22, (1u << PC_COM1_IRQ) & 0xff, (1u << PC_COM1_IRQ) >> 8,
		0x79, 0x00,
	};
	size_t start;

	emit_name(a, "_CRS");
	emit_byte(a, AML_BUFFER_OP);
	start = a->len;
	emit_integer(a, sizeof(crs));
	emit(a, crs, sizeof(crs));
	close_package(a, start);
}

/* Scope(\_SB) { Device(COM1) { _HID PNP0501, _UID 1, _CRS } }. */
static void emit_com1(struct aml *a)
{
	const uint8_t eisa_pnp0501[4] = { 0x41, 0xd0, 0x05, 0x01 };	/* EisaId("PNP0501") */
	size_t scope, device;

	emit_byte(a, AML_SCOPE_OP);
	scope = a->len;
	emit(a, "\\_SB_", 5);
	emit_byte(a, AML_EXT_OP_PREFIX);
	emit_byte(a, AML_DEVICE_OP);
	device = a->len;
	emit(a, "COM1", 4);
	emit_name(a, "_HID");
	emit_byte(a, AML_DWORD_PREFIX);
	emit(a, eisa_pnp0501, sizeof(eisa_pnp0501));
	emit_name(a, "_UID");
	emit_integer(a, 1);
	emit_com1_crs(a);
	close_package(a, device);
	close_package(a, scope);
}

uint64_t guest_acpi_dsdt(struct guest_cursor *c)
{
	struct aml a = { .len = 0 };
	uint64_t at;

	emit_s5(&a);
	emit_com1(&a);
	at = guest_acpi_table_begin(c, "DSDT", 2);
	guest_put(c, a.buf, a.len);
	guest_acpi_table_end(c, at);
	return at;
}
