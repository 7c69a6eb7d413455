#!/usr/bin/env bash
# Outside oracles for the firmware tables: iasl (acpica-tools) disassembles
# the DSDT built for 512 MiB and 4 GiB guests, dmidecode parses the SMBIOS
# tables. Usage: check_firmware_tables.sh DUMP_FIRMWARE_TABLES_BINARY
# Exits 77 (skipped) when iasl is not installed; the dmidecode part is
# skipped on its own when dmidecode is missing.
set -uo pipefail
dump=$1
command -v iasl >/dev/null 2>&1 || { echo "iasl not installed (acpica-tools): skipped"; exit 77; }
dir=$(mktemp -d /tmp/petrel-fwtables-XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$dump" "$dir" 512 4096 || { echo "FAIL: $dump"; exit 1; }
fail=0
check() {  # check FILE PATTERN: the fixed string is in the file
    grep -qF -- "$2" "$1" || { echo "FAIL: '$2' missing from $(basename "$1")"; fail=1; }
}
for mib in 512 4096; do
    (cd "$dir" && iasl -d "dsdt-$mib.dat" >"iasl-$mib.log" 2>&1) || { echo "FAIL: iasl -d exit status"; fail=1; }
    dsl=$dir/dsdt-$mib.dsl
    [ -s "$dsl" ] || { echo "FAIL: iasl wrote no dsdt-$mib.dsl"; cat "$dir/iasl-$mib.log"; exit 1; }
    if grep -qiE "error|warning" "$dir/iasl-$mib.log" || grep -qF "**** " "$dsl"; then
        echo "FAIL: iasl reported problems for $mib MiB"; cat "$dir/iasl-$mib.log"; fail=1
    fi
    for name in "Device (PCI0)" "Device (ISA)" "Device (KBD)" "Device (MOU)" "Device (COM1)" "Device (RTC)" \
                "Device (LNKA)" "Device (LNKB)" "Device (LNKC)" "Device (LNKD)" "Device (LNKS)" "Device (HPET)" \
                "Name (_PRT, Package (0x80)" "OperationRegion (P40C, PCI_Config, 0x60, 0x04)" \
                'EisaId ("PNP0A03")' 'EisaId ("PNP0303")' 'EisaId ("PNP0F13")' 'EisaId ("PNP0501")' \
                'EisaId ("PNP0B00")' 'EisaId ("PNP0C0F")' 'EisaId ("PNP0103")' \
                "Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )" "0xFEBFFFFF,         // Range Maximum"; do
        check "$dsl" "$name"
    done
    # Recompiling the disassembly must succeed too (no errors; warnings are
    # QEMU's own: PCI0 has both _HID and _ADR).
    (cd "$dir" && iasl -p "recompiled-$mib" "dsdt-$mib.dsl" >"asl-$mib.log" 2>&1) ||
        { echo "FAIL: iasl could not recompile the disassembly"; cat "$dir/asl-$mib.log"; fail=1; }
done
check "$dir/dsdt-512.dsl" "0x20000000,         // Range Minimum"      # 32-bit window from the end of RAM
check "$dir/dsdt-512.dsl" "0x0000000100000000, // Range Minimum"      # 64-bit window at 4 GiB
check "$dir/dsdt-4096.dsl" "0xC0000000,         // Range Minimum"     # 3 GiB below 4 GiB
check "$dir/dsdt-4096.dsl" "0x0000000140000000, // Range Minimum"     # above 1 GiB of high RAM

if command -v dmidecode >/dev/null 2>&1; then
    for mib in 512 4096; do
        out=$dir/dmi-$mib.txt
        dmidecode --from-dump "$dir/smbios-$mib.bin" >"$out" 2>&1 || { echo "FAIL: dmidecode exit status"; fail=1; }
        if grep -qiE "invalid|wrong|truncated|unknown type|bad|is not|out of spec" "$out"; then
            echo "FAIL: dmidecode complained for $mib MiB"; fail=1
        fi
        for s in "SMBIOS 2.8 present." "Vendor: Petrel" "Release Date: 12/07/2026" "Manufacturer: Petrel" \
                 "Product Name: Standard PC (i440FX + PIIX, 1996)" "UUID: 50455452-454c-4000-8000-000000000001" \
                 "Socket Designation: CPU 0" "Socket Designation: CPU 1" "Version: Petrel Virtual CPU" \
                 "Physical Memory Array" "Memory Device" "Memory Array Mapped Address" "System Boot Information" \
                 "End Of Table" "ID: D4 06 03 00 FF FB 8B 07"; do
            check "$out" "$s"
        done
    done
    check "$dir/dmi-512.txt" "Size: 512 MB"
    check "$dir/dmi-512.txt" "Range Size: 512 MB"
    check "$dir/dmi-4096.txt" "Maximum Capacity: 4 GB"
    check "$dir/dmi-4096.txt" "Range Size: 3 GB"
    check "$dir/dmi-4096.txt" "Ending Address: 0x0013FFFFFFF"
else
    echo "dmidecode not installed: SMBIOS part skipped"
fi
[ $fail = 0 ] && echo "firmware tables: iasl and dmidecode agree"
exit $fail
