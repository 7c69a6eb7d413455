// Guest-physical address space of the PC: RAM (below the PCI hole and above
// 4 GiB), ROM images, and MMIO windows on a Bus. RAM is reserved up front with
// MAP_NORESERVE so host memory is committed only as the guest touches it.
//
// The CPU reaches RAM through host pointers it caches per page (soft TLB);
// pages holding decoded code are tracked here so a write to one can
// invalidate the CPU's block cache.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "memory/bus.h"

namespace petrel {

constexpr uint64_t kPageSize = 4096;
constexpr uint64_t kPageMask = ~(kPageSize - 1);

class PhysicalMemory {
public:
    // Lays out ram_bytes as the i440FX board does: up to below-4G limit, the
    // rest from 4 GiB up. Throws std::runtime_error if the host can't reserve it.
    explicit PhysicalMemory(uint64_t ram_bytes);
    ~PhysicalMemory();
    PhysicalMemory(const PhysicalMemory&) = delete;
    PhysicalMemory& operator=(const PhysicalMemory&) = delete;

    uint64_t ram_size() const { return ram_size_; }
    uint64_t below_4g() const { return below_4g_; }   // RAM bytes at [0, below_4g)
    uint64_t above_4g() const { return ram_size_ - below_4g_; }  // RAM at [4G, 4G+above)

    // Maps a read-only image (firmware) at base; the data is copied.
    void add_rom(uint64_t base, std::span<const uint8_t> data, std::string name);

    // The legacy shadow window 0xC0000-0xFFFFF (the chipset's PAM registers):
    // per 4 KiB page, reads come from RAM or from what lies under it (a ROM
    // alias, else nothing: all ones), and writes go to RAM or are dropped.
    // Starts as plain RAM both ways. The caller flushes whatever cached host
    // pointers into the range (the CPU's TLB and decoded code).
    static constexpr uint64_t kShadowBase = 0xc0000, kShadowEnd = 0x100000;
    void set_shadow(uint64_t base, uint64_t size, bool read_ram, bool write_ram);
    Bus& mmio() { return mmio_; }

    // Host pointer to a whole RAM page for reads, or nullptr (MMIO, ROM for
    // writes, unmapped). The page containing paddr must not be split.
    uint8_t* ram_page(uint64_t paddr);
    const uint8_t* readable_page(uint64_t paddr);  // RAM or ROM

    // Slow-path accesses: RAM, ROM, MMIO or unmapped (reads all ones).
    uint64_t read(uint64_t paddr, unsigned size);
    void write(uint64_t paddr, uint64_t value, unsigned size);

    // DMA / loader helpers. Return false (copying nothing) if any byte of the
    // range is not RAM; a loader reports that as a clear error.
    bool read_bytes(uint64_t paddr, void* out, size_t len);
    bool write_bytes(uint64_t paddr, const void* in, size_t len);
    bool is_ram(uint64_t paddr, size_t len) const;

    // Code-page tracking: the CPU marks pages it has decoded; any write through
    // this class (or by the CPU's slow path) to a marked page calls the listener.
    void mark_code_page(uint64_t paddr);
    bool is_code_page(uint64_t paddr) const;
    void set_code_write_listener(std::function<void(uint64_t page)> fn) { on_code_write_ = std::move(fn); }
    void notify_write(uint64_t paddr, size_t len);

private:
    struct Rom {
        uint64_t base;
        std::vector<uint8_t> data;
        std::string name;
    };
    uint8_t* ram_host(uint64_t paddr) const;  // nullptr unless RAM
    static bool in_shadow(uint64_t paddr) { return paddr >= kShadowBase && paddr < kShadowEnd; }
    static uint64_t shadow_bit(uint64_t paddr) { return 1ull << ((paddr - kShadowBase) / kPageSize); }
    const Rom* rom_at(uint64_t paddr) const;

    uint64_t ram_size_ = 0;
    uint64_t below_4g_ = 0;
    uint8_t* ram_ = nullptr;  // one reservation; high RAM follows low RAM
    size_t ram_reserved_ = 0;
    std::vector<Rom> roms_;
    uint64_t shadow_read_ram_ = ~0ull;   // bit n: page kShadowBase + n*4K reads RAM
    uint64_t shadow_write_ram_ = ~0ull;  // ...writes RAM
    Bus mmio_;
    std::vector<uint64_t> code_pages_;  // bitmap over RAM pages
    std::function<void(uint64_t)> on_code_write_;
};

}  // namespace petrel
