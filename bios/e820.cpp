// E820 map construction: fixed legacy holes, RAM split by carve-outs.
#include "bios/e820.h"

#include <algorithm>

#include "memory/physical_memory.h"

namespace petrel {

namespace {
constexpr uint64_t k4G = 1ull << 32;

// Adds [lo, hi) as RAM minus the carve-outs that fall in it.
void add_ram(std::vector<E820Entry>& out, uint64_t lo, uint64_t hi, std::span<const E820Entry> carve) {
    std::vector<E820Entry> cuts;
    for (const E820Entry& c : carve)
        if (c.size && c.addr < hi && c.end() > lo)
            cuts.push_back({std::max(c.addr, lo), std::min(c.end(), hi) - std::max(c.addr, lo), c.type});
    std::sort(cuts.begin(), cuts.end(), [](const E820Entry& a, const E820Entry& b) { return a.addr < b.addr; });
    uint64_t at = lo;
    for (const E820Entry& c : cuts) {
        if (c.addr < at) {  // overlapping carve-outs: keep the first, clip the next
            if (c.end() <= at) continue;
            out.push_back({at, c.end() - at, c.type});
            at = c.end();
            continue;
        }
        if (c.addr > at) out.push_back({at, c.addr - at, E820Type::Ram});
        out.push_back(c);
        at = c.end();
    }
    if (at < hi) out.push_back({at, hi - at, E820Type::Ram});
}
}  // namespace

std::vector<E820Entry> build_e820(uint64_t below_4g, uint64_t above_4g, std::span<const E820Entry> carve_outs) {
    std::vector<E820Entry> map;
    uint64_t conv_end = std::min(below_4g, kEbdaStart);
    map.push_back({0, conv_end, E820Type::Ram});
    map.push_back({kEbdaStart, 0xa0000 - kEbdaStart, E820Type::Reserved});
    map.push_back({kBiosAreaStart, kHighMemStart - kBiosAreaStart, E820Type::Reserved});
    if (below_4g > kHighMemStart) add_ram(map, kHighMemStart, below_4g, carve_outs);
    map.push_back({kBiosRomStart, k4G - kBiosRomStart, E820Type::Reserved});
    if (above_4g) map.push_back({k4G, above_4g, E820Type::Ram});
    return map;
}

std::vector<E820Entry> build_e820(const PhysicalMemory& mem, std::span<const E820Entry> carve_outs) {
    return build_e820(mem.below_4g(), mem.above_4g(), carve_outs);
}

bool e820_is_usable(std::span<const E820Entry> map, uint64_t addr, uint64_t size) {
    if (size == 0) return true;
    if (addr + size < addr) return false;
    // Entries are sorted and non-overlapping; adjacent Ram entries may join.
    uint64_t at = addr;
    for (const E820Entry& e : map) {
        if (e.type != E820Type::Ram || e.end() <= at) continue;
        if (e.addr > at) return false;
        at = e.end();
        if (at >= addr + size) return true;
    }
    return false;
}

}  // namespace petrel
