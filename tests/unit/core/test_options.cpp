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

TEST_CASE("options: -icount shift=N[,sleep=on|off][,align=off], QEMU's spelling") {
    CHECK_FALSE(parse({}).icount.has_value());
    Options o = parse({"-icount", "shift=0"});
    REQUIRE(o.icount.has_value());
    CHECK(o.icount->shift == 0);
    CHECK(o.icount->sleep);  // QEMU's default
    o = parse({"-icount", "shift=7,sleep=off,align=off"});
    CHECK(o.icount->shift == 7);
    CHECK_FALSE(o.icount->sleep);
    CHECK(parse({"-icount", "3"}).icount->shift == 3);  // legacy "-icount N"
    CHECK(parse({"-icount", "10"}).icount->shift == 10);
    CHECK(parse({"--icount", "shift=2,sleep=on"}).icount->shift == 2);
    CHECK(parse({"-icount", "shift=auto"}).icount->shift == kIcountAutoShift);
    CHECK(parse({"-icount", "auto,sleep=off"}).icount->shift == kIcountAutoShift);
}

TEST_CASE("options: malformed -icount values are refused, naming -icount") {
    CHECK(fails_naming({"-icount"}, "-icount"));
    CHECK(fails_naming({"-icount", ""}, "-icount"));
    CHECK(fails_naming({"-icount", "shift=11"}, "-icount"));
    CHECK(fails_naming({"-icount", "shift=-1"}, "-icount"));
    CHECK(fails_naming({"-icount", "shift=x"}, "-icount"));
    CHECK(fails_naming({"-icount", "shift="}, "-icount"));
    CHECK(fails_naming({"-icount", "sleep=off"}, "shift"));  // no shift given
    CHECK(fails_naming({"-icount", "shift=0,sleep=maybe"}, "sleep"));
    CHECK(fails_naming({"-icount", "shift=0,align=on"}, "align"));
    CHECK(fails_naming({"-icount", "shift=0,rr=record"}, "rr"));
    CHECK(fails_naming({"-icount", "shift=0,foo=1"}, "foo"));
}

TEST_CASE("options: -seed N and -rtc base=/clock=") {
    CHECK_FALSE(parse({}).seed.has_value());
    CHECK(parse({"-seed", "42"}).seed == 42u);
    CHECK(parse({"-seed", "0xffffffffffffffff"}).seed == ~0ull);
    CHECK(fails_naming({"-seed", "forty"}, "-seed"));

    CHECK(parse({}).rtc.base == RtcSpec::Base::Default);
    CHECK(parse({"-rtc", "base=utc"}).rtc.base == RtcSpec::Base::Utc);
    CHECK(parse({"-rtc", "base=localtime"}).rtc.base == RtcSpec::Base::Localtime);
    Options o = parse({"-rtc", "base=2000-01-01T00:00:00,clock=vm,driftfix=none"});
    CHECK(o.rtc.base == RtcSpec::Base::Fixed);
    CHECK(o.rtc.epoch == kDeterministicRtcEpoch);
    CHECK(o.rtc.clock == RtcSpec::ClockKind::Vm);
    CHECK(parse({"-rtc", "base=2006-06-17"}).rtc.epoch == 1150502400);
    CHECK(parse({"-rtc", "base=2006-06-17T16:01:21"}).rtc.epoch == 1150502400 + 16 * 3600 + 60 + 21);
    CHECK(parse({"-rtc", "base=1969-12-31T23:59:59"}).rtc.epoch == -1);
    CHECK(parse({"-rtc", "base=2024-02-29"}).rtc.epoch == 1709164800);
    // Later -rtc options change only what they name.
    o = parse({"-rtc", "base=2006-06-17", "-rtc", "clock=vm"});
    CHECK(o.rtc.base == RtcSpec::Base::Fixed);
    CHECK(o.rtc.clock == RtcSpec::ClockKind::Vm);

    CHECK(fails_naming({"-rtc", "base=foo"}, "-rtc base"));
    CHECK(fails_naming({"-rtc", "base=2000-13-01"}, "-rtc base"));
    CHECK(fails_naming({"-rtc", "base=2023-02-29"}, "-rtc base"));
    CHECK(fails_naming({"-rtc", "base=2000-01-01T24:00:00"}, "-rtc base"));
    CHECK(fails_naming({"-rtc", "base=2000-01-01T00:00"}, "-rtc base"));
    CHECK(fails_naming({"-rtc", "base=10000-01-01"}, "-rtc base"));
    CHECK(fails_naming({"-rtc", "base=2000-01-01x"}, "-rtc base"));
    CHECK(fails_naming({"-rtc", "clock=rt"}, "clock=rt"));
    CHECK(fails_naming({"-rtc", "driftfix=slew"}, "driftfix"));
    CHECK(fails_naming({"-rtc", "frob=1"}, "frob"));
    CHECK(fails_naming({"-icount", "shift=0", "-rtc", "clock=host"}, "clock=host"));
}
