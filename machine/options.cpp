#include "machine/options.h"

#include <charconv>
#include <map>

#include <fmt/format.h>

namespace petrel {

namespace {

// "key=value,key=value" after an optional leading bare word.
struct KeyValues {
    std::string head;
    std::vector<std::pair<std::string, std::string>> kv;
};

KeyValues split_kv(const std::string& text, bool has_head) {
    KeyValues out;
    size_t pos = 0;
    bool first = true;
    while (pos <= text.size()) {
        size_t comma = text.find(',', pos);
        std::string part = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        size_t eq = part.find('=');
        if (first && has_head && eq == std::string::npos) out.head = part;
        else if (eq == std::string::npos) out.kv.emplace_back(part, "");
        else out.kv.emplace_back(part.substr(0, eq), part.substr(eq + 1));
        first = false;
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    return out;
}

uint64_t parse_uint(const std::string& text, const std::string& option) {
    uint64_t v = 0;
    const char* b = text.data();
    const char* e = b + text.size();
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) { b += 2; base = 16; }
    auto [p, ec] = std::from_chars(b, e, v, base);
    if (ec != std::errc() || p != e || b == e)
        throw UsageError(fmt::format("{}: '{}' is not a number", option, text));
    return v;
}

CharDevSpec parse_chardev(const std::string& text, const std::string& option) {
    if (text == "stdio") return {CharDevSpec::Kind::Stdio, ""};
    if (text == "none" || text == "null") return {CharDevSpec::Kind::None, ""};
    if (text.rfind("file:", 0) == 0 && text.size() > 5) return {CharDevSpec::Kind::File, text.substr(5)};
    throw UsageError(fmt::format("{}: unsupported backend '{}' (supported: stdio, file:PATH, none)", option, text));
}

DebugExitSpec parse_debug_exit(const KeyValues& kv, const std::string& option) {
    DebugExitSpec spec;
    for (auto& [k, v] : kv.kv) {
        if (k == "iobase") spec.iobase = static_cast<uint16_t>(parse_uint(v, option + " iobase"));
        else if (k == "iosize") {
            uint64_t size = parse_uint(v, option + " iosize");
            if (size != 1 && size != 2 && size != 4)
                throw UsageError(fmt::format("{}: iosize must be 1, 2 or 4", option));
            spec.iosize = static_cast<uint16_t>(size);
        } else throw UsageError(fmt::format("{}: isa-debug-exit has no property '{}'", option, k));
    }
    return spec;
}

bool parse_on_off(const std::string& v, const std::string& what) {
    if (v == "on" || v == "yes" || v == "true") return true;
    if (v == "off" || v == "no" || v == "false") return false;
    throw UsageError(fmt::format("{}: '{}' is not on or off", what, v));
}

IcountSpec parse_icount(const std::string& text) {
    IcountSpec spec;
    bool have_shift = false;
    auto set_shift = [&](const std::string& v) {
        if (v == "auto") spec.shift = kIcountAutoShift;
        else {
            uint64_t n = 0;
            try {
                n = parse_uint(v, "-icount shift");
            } catch (const UsageError&) {
                throw UsageError(fmt::format("-icount: shift '{}' is not a number 0-{} or auto", v, kIcountMaxShift));
            }
            if (n > kIcountMaxShift)
                throw UsageError(fmt::format("-icount: shift {} is out of range (0-{}, or auto)", n, kIcountMaxShift));
            spec.shift = unsigned(n);
        }
        have_shift = true;
    };
    KeyValues kv = split_kv(text, true);
    if (!kv.head.empty()) set_shift(kv.head);  // QEMU's legacy "-icount N"
    for (auto& [k, v] : kv.kv) {
        if (k == "shift") set_shift(v);
        else if (k == "sleep") spec.sleep = parse_on_off(v, "-icount sleep");
        else if (k == "align") {
            if (parse_on_off(v, "-icount align"))
                throw UsageError("-icount align=on: not supported (Petrel's virtual time never follows the host clock)");
        } else if (k == "rr" || k == "rrfile" || k == "rrsnapshot")
            throw UsageError(fmt::format("-icount {}: record/replay is not supported", k));
        else throw UsageError(fmt::format("-icount: unsupported property '{}' (supported: shift, sleep, align)", k));
    }
    if (!have_shift) throw UsageError("-icount: give shift=N (0-10) or shift=auto");
    return spec;
}

RtcSpec parse_rtc(const std::string& text) {
    RtcSpec spec;
    KeyValues kv = split_kv(text, false);
    for (auto& [k, v] : kv.kv) {
        if (k == "base") {
            if (v == "utc") spec.base = RtcSpec::Base::Utc;
            else if (v == "localtime") spec.base = RtcSpec::Base::Localtime;
            else {
                spec.base = RtcSpec::Base::Fixed;
                spec.epoch = parse_datetime(v, "-rtc base");
            }
        } else if (k == "clock") {
            if (v == "host") spec.clock = RtcSpec::ClockKind::Host;
            else if (v == "vm") spec.clock = RtcSpec::ClockKind::Vm;
            else throw UsageError(fmt::format("-rtc clock={}: unsupported (supported: host, vm)", v));
        } else if (k == "driftfix") {
            if (v != "none") throw UsageError(fmt::format("-rtc driftfix={}: unsupported (supported: none)", v));
        } else throw UsageError(fmt::format("-rtc: unsupported property '{}' (supported: base, clock, driftfix)", k));
    }
    return spec;
}

}  // namespace

int64_t parse_datetime(const std::string& text, const std::string& option) {
    auto bad = [&] {
        return UsageError(fmt::format("{}: '{}' is not a date (formats: 2006-06-17T16:01:21, 2006-06-17, utc, localtime)",
                                      option, text));
    };
    // Fields: year, month, day [, hour, minute, second]; separators fixed.
    unsigned f[6] = {0, 0, 0, 0, 0, 0};
    const char seps[] = {'-', '-', 'T', ':', ':'};
    size_t pos = 0;
    unsigned n = 0;
    for (; n < 6; ++n) {
        size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 4) ++pos;
        if (pos == start) throw bad();
        f[n] = unsigned(std::stoul(text.substr(start, pos - start)));
        if (pos == text.size()) break;
        if (n == 5 || text[pos] != seps[n]) throw bad();
        ++pos;
    }
    if (n != 2 && n != 5) throw bad();
    unsigned y = f[0], m = f[1], d = f[2];
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap) ||
        f[3] > 23 || f[4] > 59 || f[5] > 59)
        throw UsageError(fmt::format("{}: '{}' is not a valid date and time (years 1900-9999)", option, text));
    // days_from_civil (H. Hinnant), as the RTC uses.
    int64_t yy = int64_t(y) - (m <= 2);
    int64_t era = yy / 400;
    unsigned yoe = unsigned(yy - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + int64_t(doe) - 719468;
    return days * 86400 + int64_t(f[3]) * 3600 + int64_t(f[4]) * 60 + f[5];
}

uint64_t parse_size(const std::string& text, const std::string& option) {
    if (text.empty()) throw UsageError(fmt::format("{}: missing size", option));
    std::string digits = text;
    uint64_t mult = 1ull << 20;  // QEMU: a bare -m number is MiB
    char suffix = text.back();
    switch (suffix) {
        case 'k': case 'K': mult = 1ull << 10; digits.pop_back(); break;
        case 'm': case 'M': mult = 1ull << 20; digits.pop_back(); break;
        case 'g': case 'G': mult = 1ull << 30; digits.pop_back(); break;
        case 't': case 'T': mult = 1ull << 40; digits.pop_back(); break;
        case 'b': case 'B': mult = 1; digits.pop_back(); break;
        default: break;
    }
    uint64_t v = parse_uint(digits, option);
    if (v == 0 || v > (UINT64_MAX / mult)) throw UsageError(fmt::format("{}: size '{}' out of range", option, text));
    return v * mult;
}

CharDevSpec Options::com1() const { return serial_ports().front(); }

std::vector<CharDevSpec> Options::serial_ports() const {
    if (!serial.empty()) return serial;
    if (nographic) return {CharDevSpec{CharDevSpec::Kind::Stdio, ""}};
    return {CharDevSpec{CharDevSpec::Kind::None, ""}};
}

std::string usage_text() {
    return
        "usage: petrel [options]\n"
        "Petrel " PETREL_VERSION " - a portable x86-64 PC emulator (QEMU-compatible command line)\n"
        "\n"
        "Machine:\n"
        "  -m SIZE[K|M|G|T]         guest RAM (default 128M; a bare number is MiB)\n"
        "  -smp N                   number of vCPUs (only 1 for now)\n"
        "  -accel tcg[,tier=interp|jit]  Petrel's own engine; tier forces one tier\n"
        "  -cpu max|qemu64|petrel   CPU model: all name Petrel's one model\n"
        "  -no-reboot               exit instead of resetting on a guest reset/triple fault\n"
        "Time and determinism:\n"
        "  -icount shift=N|auto[,sleep=on|off][,align=off]\n"
        "                           deterministic run: virtual time = instructions << N ns\n"
        "                           (N 0-10, auto = 3); RDRAND seeded, RTC fixed (see -rtc)\n"
        "  -seed N                  RDRAND/RDSEED seed (default: host entropy; 0 with -icount)\n"
        "  -rtc base=utc|localtime|YYYY-MM-DD[THH:MM:SS][,clock=host|vm]\n"
        "                           RTC start (default: host time; 2000-01-01 with -icount)\n"
        "Boot:\n"
        "  -kernel FILE             Linux bzImage or multiboot ELF kernel\n"
        "  -initrd FILE             initial ramdisk (multiboot: a module)\n"
        "  -append CMDLINE          kernel command line\n"
        "  -bios FILE               firmware image mapped below 4 GiB\n"
        "Display and console:\n"
        "  -nographic               no window; COM1 on the terminal (Ctrl-A x quits)\n"
        "  -display none|sdl        display backend\n"
        "  -serial stdio|file:PATH|none   next serial port (COM1, then COM2-COM4)\n"
        "  -debugcon stdio|file:PATH|none port 0xE9 debug console\n"
        "  -global isa-debugcon.iobase=N  move the debug console (SeaBIOS logs to 0x402)\n"
        "Devices:\n"
        "  -device isa-debug-exit[,iobase=0xf4][,iosize=0x04]  exit with status (value<<1)|1\n"
        "Other:\n"
        "  -h, --help               this text\n"
        "  --version                version\n";
}

Options parse_options(const std::vector<std::string>& args) {
    Options o;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string opt = args[i];
        // QEMU accepts both -opt and --opt.
        if (opt.rfind("--", 0) == 0 && opt.size() > 2) opt = opt.substr(1);
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) throw UsageError(fmt::format("{}: missing argument", opt));
            return args[++i];
        };
        if (opt == "-h" || opt == "-help") o.show_help = true;
        else if (opt == "-version") o.show_version = true;
        else if (opt == "-m") {
            std::string v = value();
            KeyValues kv = split_kv(v, true);
            std::string size = kv.head;
            for (auto& [k, val] : kv.kv) {
                if (k == "size") size = val;
                else throw UsageError(fmt::format("-m: unsupported property '{}'", k));
            }
            o.ram_bytes = parse_size(size, "-m");
            if (o.ram_bytes < (16ull << 20)) throw UsageError("-m: at least 16M of RAM is needed");
            if (o.ram_bytes > (1ull << 40)) throw UsageError("-m: at most 1T of RAM is supported");
            o.ram_bytes &= ~4095ull;
        } else if (opt == "-smp") {
            KeyValues kv = split_kv(value(), true);
            uint64_t n = kv.head.empty() ? 1 : parse_uint(kv.head, "-smp");
            for (auto& [k, v] : kv.kv) {
                if (k == "cpus") n = parse_uint(v, "-smp cpus");
                else throw UsageError(fmt::format("-smp: unsupported property '{}'", k));
            }
            if (n != 1) throw UsageError("-smp: only 1 vCPU is supported so far");
            o.smp = 1;
        } else if (opt == "-cpu") {
            // One fixed model: the names QEMU users pass for "everything the
            // emulator has" or its default are accepted; feature lists and
            // other models are refused rather than silently ignored.
            std::string v = value();
            KeyValues kv = split_kv(v, true);
            if (kv.head == "host")
                throw UsageError("-cpu host: needs a hardware accelerator; Petrel's CPU model is 'max' (also 'qemu64', 'petrel')");
            if (kv.head != "max" && kv.head != "qemu64" && kv.head != "petrel")
                throw UsageError(fmt::format("-cpu: unsupported CPU model '{}' (supported: max, qemu64, petrel: one fixed model)", kv.head));
            if (!kv.kv.empty() || v.find(',') != std::string::npos)
                throw UsageError(fmt::format("-cpu {}: CPU properties and feature flags are not supported (the model is fixed)", v));
            o.cpu_model = kv.head;
        } else if (opt == "-icount") {
            o.icount = parse_icount(value());
        } else if (opt == "-seed") {
            o.seed = parse_uint(value(), "-seed");
        } else if (opt == "-rtc") {
            RtcSpec r = parse_rtc(value());
            // Later -rtc options override only what they name (QEMU merges them).
            if (r.base != RtcSpec::Base::Default) { o.rtc.base = r.base; o.rtc.epoch = r.epoch; }
            if (r.clock != RtcSpec::ClockKind::Default) o.rtc.clock = r.clock;
        } else if (opt == "-kernel") o.kernel = value();
        else if (opt == "-initrd") o.initrd = value();
        else if (opt == "-append") o.append = value();
        else if (opt == "-bios") o.bios = value();
        else if (opt == "-nographic") o.nographic = true;
        else if (opt == "-no-reboot") o.no_reboot = true;
        else if (opt == "-display") {
            KeyValues kv = split_kv(value(), true);
            if (kv.head == "none") o.display = Options::Display::None;
            else if (kv.head == "sdl") o.display = Options::Display::Sdl;
            else throw UsageError(fmt::format("-display: unsupported display '{}' (supported: none, sdl)", kv.head));
        } else if (opt == "-serial") {
            if (o.serial.size() == kMaxSerialPorts)
                throw UsageError(fmt::format("-serial: at most {} serial ports (COM1-COM4)", kMaxSerialPorts));
            o.serial.push_back(parse_chardev(value(), "-serial"));
        } else if (opt == "-debugcon") {
            o.debugcon = parse_chardev(value(), "-debugcon");
        } else if (opt == "-global") {
            // QEMU's device property defaults; only the debug console's port so far.
            std::string v = value();
            const std::string prop = "isa-debugcon.iobase=";
            if (v.rfind(prop, 0) != 0)
                throw UsageError(fmt::format("-global: unsupported property '{}' (supported: isa-debugcon.iobase=N)", v));
            uint64_t port = parse_uint(v.substr(prop.size()), "-global isa-debugcon.iobase");
            if (port > 0xffff) throw UsageError(fmt::format("-global isa-debugcon.iobase: {} is not a port", port));
            o.debugcon_iobase = static_cast<uint16_t>(port);
        } else if (opt == "-device") {
            std::string v = value();
            KeyValues kv = split_kv(v, true);
            if (kv.head == "isa-debug-exit") o.debug_exit.push_back(parse_debug_exit(kv, "-device"));
            else throw UsageError(fmt::format("-device: unsupported device '{}'", kv.head));
        } else if (opt == "-accel" || opt == "-machine" || opt == "-M") {
            KeyValues kv = split_kv(value(), true);
            if (opt == "-accel") {
                if (kv.head != "tcg") throw UsageError(fmt::format("-accel: unsupported accelerator '{}' (Petrel's engine is 'tcg')", kv.head));
                for (auto& [k, v] : kv.kv) {
                    if (k == "tier" && v == "interp") o.tier = CpuTier::Interp;
                    else if (k == "tier" && v == "jit") o.tier = CpuTier::Jit;
                    else if (k == "tier" && v == "auto") o.tier = CpuTier::Auto;
                    else if (k == "thread" || k == "tb-size") continue;  // QEMU tuning knobs: no meaning here
                    else throw UsageError(fmt::format("-accel: unsupported property '{}={}'", k, v));
                }
            } else {
                if (!kv.head.empty() && kv.head != "pc" && kv.head != "pc-i440fx")
                    throw UsageError(fmt::format("{}: unsupported machine '{}' (supported: pc)", opt, kv.head));
                for (auto& [k, v] : kv.kv) {
                    if (k == "accel" && v == "tcg") continue;
                    if (k == "type" && (v == "pc" || v == "pc-i440fx")) continue;
                    throw UsageError(fmt::format("{}: unsupported property '{}={}'", opt, k, v));
                }
            }
        } else {
            throw UsageError(fmt::format("{}: unknown option (petrel --help lists the supported ones)", args[i]));
        }
    }
    if (o.icount && o.rtc.clock == RtcSpec::ClockKind::Host)
        throw UsageError("-rtc clock=host with -icount: the RTC follows the deterministic virtual clock (clock=vm)");
    return o;
}

}  // namespace petrel
