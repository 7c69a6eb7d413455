#include <doctest/doctest.h>

#include "machine/options.h"

using namespace petrel;

static Options parse(std::vector<std::string> a) { return parse_options(a); }

TEST_CASE("options: the QEMU forms used by scripts parse") {
    Options o = parse({"-m", "512M", "-nographic", "-no-reboot", "-kernel", "k", "-initrd", "i",
                       "-append", "console=ttyS0 quiet", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                       "-accel", "tcg,tier=interp", "-smp", "1", "-serial", "file:/tmp/x"});
    CHECK(o.ram_bytes == 512ull << 20);
    CHECK(o.nographic);
    CHECK(o.no_reboot);
    CHECK(o.kernel == "k");
    CHECK(o.initrd == "i");
    CHECK(o.append == "console=ttyS0 quiet");
    REQUIRE(o.debug_exit.size() == 1);
    CHECK(o.debug_exit[0].iobase == 0xf4);
    CHECK(o.debug_exit[0].iosize == 4);
    CHECK(o.tier == CpuTier::Interp);
    CHECK(o.com1().kind == CharDevSpec::Kind::File);
    CHECK(o.com1().path == "/tmp/x");
}

TEST_CASE("options: sizes follow QEMU's suffixes, a bare number is MiB") {
    CHECK(parse({"-m", "4G"}).ram_bytes == 4ull << 30);
    CHECK(parse({"-m", "256"}).ram_bytes == 256ull << 20);
    CHECK(parse({"-m", "size=1G"}).ram_bytes == 1ull << 30);
    CHECK(parse({"-m", "32G"}).ram_bytes == 32ull << 30);
}

TEST_CASE("options: -nographic puts COM1 on stdio unless -serial says otherwise") {
    CHECK(parse({"-nographic"}).com1().kind == CharDevSpec::Kind::Stdio);
    CHECK(parse({"-nographic", "-serial", "none"}).com1().kind == CharDevSpec::Kind::None);
    CHECK(parse({}).com1().kind == CharDevSpec::Kind::None);
}

static bool fails_naming(std::vector<std::string> a, const char* name) {
    try {
        parse_options(a);
    } catch (const UsageError& e) {
        return std::string(e.what()).find(name) != std::string::npos;
    }
    return false;
}

TEST_CASE("options: bad options are errors that name the option") {
    CHECK(fails_naming({"-frobnicate"}, "-frobnicate"));
    CHECK(fails_naming({"-m"}, "-m"));
    CHECK(fails_naming({"-m", "lots"}, "-m"));
    CHECK(fails_naming({"-m", "8M"}, "-m"));
    CHECK(fails_naming({"-serial", "telnet:1234"}, "-serial"));
    CHECK(fails_naming({"-device", "e1000"}, "e1000"));
    CHECK(fails_naming({"-device", "isa-debug-exit,iosize=3"}, "iosize"));
    CHECK(fails_naming({"-accel", "kvm"}, "kvm"));
    CHECK(fails_naming({"-accel", "tcg,tier=fast"}, "tier"));
    CHECK(fails_naming({"-display", "gtk"}, "gtk"));
    CHECK(fails_naming({"-smp", "x"}, "-smp"));
}

TEST_CASE("options: each -serial is the next port, COM1 to COM4") {
    Options o = parse({"-serial", "stdio", "-serial", "file:/tmp/com2"});
    REQUIRE(o.serial_ports().size() == 2);
    CHECK(o.serial_ports()[0].kind == CharDevSpec::Kind::Stdio);
    CHECK(o.serial_ports()[1].kind == CharDevSpec::Kind::File);
    CHECK(o.serial_ports()[1].path == "/tmp/com2");
    CHECK(parse({}).serial_ports().size() == 1);
    CHECK(fails_naming({"-serial", "none", "-serial", "none", "-serial", "none", "-serial", "none",
                        "-serial", "none"}, "-serial"));
}

TEST_CASE("options: -global isa-debugcon.iobase moves the debug console; other properties are refused") {
    CHECK(parse({}).debugcon_iobase == 0xe9);
    CHECK(parse({"-global", "isa-debugcon.iobase=0x402"}).debugcon_iobase == 0x402);
    CHECK(fails_naming({"-global", "isa-debugcon.iobase=0x10000"}, "iobase"));
    CHECK(fails_naming({"-global", "e1000.mac=1"}, "e1000.mac"));
}

TEST_CASE("options: -cpu names Petrel's one model; others are refused") {
    CHECK(parse({}).cpu_model == "petrel");
    CHECK(parse({"-cpu", "max"}).cpu_model == "max");
    CHECK(parse({"-cpu", "qemu64"}).cpu_model == "qemu64");
    CHECK(parse({"-cpu", "petrel"}).cpu_model == "petrel");
    CHECK(fails_naming({"-cpu", "Skylake-Client"}, "Skylake-Client"));
    CHECK(fails_naming({"-cpu", "host"}, "host"));
    CHECK(fails_naming({"-cpu", "max,+pcid"}, "max,+pcid"));
    CHECK(fails_naming({"-cpu", "max,"}, "-cpu"));
    CHECK(fails_naming({"-cpu"}, "-cpu"));
}
