#include "memory/physical_memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace petrel {

namespace {
constexpr uint64_t k4G = 1ull << 32;
// i440FX: RAM below the PCI hole ends at 3.5 GiB, or at 3 GiB when the guest
// has that much or more (the hole then starts gigabyte-aligned), as on QEMU's pc.
uint64_t low_ram_limit(uint64_t ram) { return ram >= 0xe0000000ull ? 0xc0000000ull : ram; }
}  // namespace

PhysicalMemory::PhysicalMemory(uint64_t ram_bytes) {
    if (ram_bytes < (1u << 20) || (ram_bytes & (kPageSize - 1)))
        throw std::runtime_error(fmt::format("RAM size {} bytes is not a whole number of pages >= 1 MiB", ram_bytes));
    ram_size_ = ram_bytes;
    below_4g_ = low_ram_limit(ram_bytes);
    ram_reserved_ = ram_bytes;
    void* p = mmap(nullptr, ram_reserved_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        throw std::runtime_error(fmt::format("cannot reserve {} MiB of guest RAM: {}", ram_bytes >> 20, strerror(errno)));
    ram_ = static_cast<uint8_t*>(p);
    code_pages_.assign((ram_bytes / kPageSize + 63) / 64, 0);
}

PhysicalMemory::~PhysicalMemory() {
    if (ram_) munmap(ram_, ram_reserved_);
}

uint8_t* PhysicalMemory::ram_host(uint64_t paddr) const {
    if (paddr < below_4g_) {
        if (paddr >= 0xa0000 && paddr < 0xc0000) return nullptr;  // legacy VGA window
        return ram_ + paddr;
    }
    if (paddr >= k4G && paddr - k4G < ram_size_ - below_4g_) return ram_ + below_4g_ + (paddr - k4G);
    return nullptr;
}

void PhysicalMemory::add_rom(uint64_t base, std::span<const uint8_t> data, std::string name) {
    roms_.push_back(Rom{base, std::vector<uint8_t>(data.begin(), data.end()), std::move(name)});
    // A ROM alias in the shadow window shows through, as at power-on (PAM 0).
    if (base < kShadowEnd && base + data.size() > kShadowBase) set_shadow(base, data.size(), false, false);
}

void PhysicalMemory::set_shadow(uint64_t base, uint64_t size, bool read_ram, bool write_ram) {
    for (uint64_t a = base & kPageMask; a < base + size && a < kShadowEnd; a += kPageSize) {
        if (!in_shadow(a)) continue;
        const uint64_t bit = shadow_bit(a);
        shadow_read_ram_ = read_ram ? shadow_read_ram_ | bit : shadow_read_ram_ & ~bit;
        shadow_write_ram_ = write_ram ? shadow_write_ram_ | bit : shadow_write_ram_ & ~bit;
    }
}

const PhysicalMemory::Rom* PhysicalMemory::rom_at(uint64_t paddr) const {
    for (const Rom& r : roms_)
        if (paddr - r.base < r.data.size()) return &r;
    return nullptr;
}

uint8_t* PhysicalMemory::ram_page(uint64_t paddr) {
    // Shadow window: a direct host pointer only where RAM takes reads and writes.
    if (in_shadow(paddr)) {
        const uint64_t bit = shadow_bit(paddr);
        if (!(shadow_read_ram_ & bit) || !(shadow_write_ram_ & bit)) return nullptr;
        return ram_host(paddr & kPageMask);
    }
    // ROM overrides RAM where both exist.
    if (rom_at(paddr)) return nullptr;
    if (mmio_.find(paddr & kPageMask)) return nullptr;
    return ram_host(paddr & kPageMask);
}

const uint8_t* PhysicalMemory::readable_page(uint64_t paddr) {
    const uint64_t page = paddr & kPageMask;
    if (in_shadow(page) && (shadow_read_ram_ & shadow_bit(page))) return ram_host(page);
    if (const Rom* r = rom_at(page); r && r->data.size() - (page - r->base) >= kPageSize)
        return r->data.data() + (page - r->base);
    if (in_shadow(page)) return nullptr;
    return ram_page(paddr);
}

uint64_t PhysicalMemory::read(uint64_t paddr, unsigned size) {
    const Rom* rom = rom_at(paddr);
    if (in_shadow(paddr)) {
        if (shadow_read_ram_ & shadow_bit(paddr)) rom = nullptr;    // RAM
        else if (!rom) return all_ones(size);                       // nothing decodes it
    }
    if (rom) {
        uint64_t v = 0;
        size_t n = std::min<size_t>(size, rom->data.size() - (paddr - rom->base));
        memcpy(&v, rom->data.data() + (paddr - rom->base), n);
        return v;
    }
    if (const Bus::Window* w = mmio_.find(paddr)) return w->handler->io_read(paddr - w->base, size) & all_ones(size);
    if (uint8_t* h = ram_host(paddr)) {
        uint64_t v = 0;
        memcpy(&v, h, size);  // callers never cross a page with one access
        return v;
    }
    return all_ones(size);
}

void PhysicalMemory::write(uint64_t paddr, uint64_t value, unsigned size) {
    if (in_shadow(paddr)) {
        if (!(shadow_write_ram_ & shadow_bit(paddr))) return;  // to ROM / nothing: dropped
    } else if (rom_at(paddr)) {
        return;  // ROM ignores writes
    }
    if (const Bus::Window* w = mmio_.find(paddr)) {
        w->handler->io_write(paddr - w->base, value & all_ones(size), size);
        return;
    }
    if (uint8_t* h = ram_host(paddr)) {
        memcpy(h, &value, size);
        notify_write(paddr, size);
    }
}

bool PhysicalMemory::is_ram(uint64_t paddr, size_t len) const {
    for (uint64_t a = paddr & kPageMask; a < paddr + len; a += kPageSize)
        if (!ram_host(a)) return false;
    return len == 0 || paddr + len > paddr;
}

bool PhysicalMemory::read_bytes(uint64_t paddr, void* out, size_t len) {
    if (!is_ram(paddr, len)) return false;
    auto* o = static_cast<uint8_t*>(out);
    while (len) {
        size_t chunk = std::min<size_t>(len, kPageSize - (paddr & (kPageSize - 1)));
        memcpy(o, ram_host(paddr), chunk);
        o += chunk; paddr += chunk; len -= chunk;
    }
    return true;
}

bool PhysicalMemory::write_bytes(uint64_t paddr, const void* in, size_t len) {
    if (!is_ram(paddr, len)) return false;
    auto* i = static_cast<const uint8_t*>(in);
    notify_write(paddr, len);
    while (len) {
        size_t chunk = std::min<size_t>(len, kPageSize - (paddr & (kPageSize - 1)));
        memcpy(ram_host(paddr), i, chunk);
        i += chunk; paddr += chunk; len -= chunk;
    }
    return true;
}

static uint64_t ram_index(uint64_t paddr, uint64_t below_4g) {
    return paddr < below_4g ? paddr / kPageSize : (below_4g + (paddr - k4G)) / kPageSize;
}

void PhysicalMemory::mark_code_page(uint64_t paddr) {
    if (!ram_host(paddr)) return;
    uint64_t i = ram_index(paddr, below_4g_);
    code_pages_[i / 64] |= 1ull << (i % 64);
}

bool PhysicalMemory::is_code_page(uint64_t paddr) const {
    if (!ram_host(paddr)) return false;
    uint64_t i = ram_index(paddr, below_4g_);
    return code_pages_[i / 64] >> (i % 64) & 1;
}

void PhysicalMemory::notify_write(uint64_t paddr, size_t len) {
    if (len == 0) return;
    for (uint64_t a = paddr & kPageMask; a < paddr + len; a += kPageSize) {
        if (is_code_page(a)) {
            uint64_t i = ram_index(a, below_4g_);
            code_pages_[i / 64] &= ~(1ull << (i % 64));
            if (on_code_write_) on_code_write_(a);
        }
    }
}

}  // namespace petrel
