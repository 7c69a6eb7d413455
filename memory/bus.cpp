#include "memory/bus.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace petrel {

void Bus::map(uint64_t base, uint64_t size, IoHandler* handler, std::string name) {
    if (size == 0 || base + size - 1 < base)
        throw std::logic_error(fmt::format("bus: bad window {} at {:#x}+{:#x}", name, base, size));
    for (const Window& w : windows_) {
        if (base < w.base + w.size && w.base < base + size)
            throw std::logic_error(fmt::format("bus: {} at {:#x}+{:#x} overlaps {} at {:#x}+{:#x}",
                                               name, base, size, w.name, w.base, w.size));
    }
    auto it = std::lower_bound(windows_.begin(), windows_.end(), base,
                               [](const Window& w, uint64_t b) { return w.base < b; });
    windows_.insert(it, Window{base, size, handler, std::move(name)});
}

void Bus::unmap(IoHandler* handler) {
    std::erase_if(windows_, [&](const Window& w) { return w.handler == handler; });
}

bool Bus::remap(IoHandler* handler, uint64_t new_base) {
    auto it = std::find_if(windows_.begin(), windows_.end(),
                           [&](const Window& w) { return w.handler == handler; });
    if (it == windows_.end()) return false;
    Window w = *it;
    windows_.erase(it);
    try {
        map(new_base, w.size, handler, w.name);
        return true;
    } catch (const std::logic_error&) {
        map(w.base, w.size, handler, w.name);
        return false;
    }
}

const Bus::Window* Bus::find(uint64_t addr) const {
    auto it = std::upper_bound(windows_.begin(), windows_.end(), addr,
                               [](uint64_t a, const Window& w) { return a < w.base; });
    if (it == windows_.begin()) return nullptr;
    --it;
    return addr - it->base < it->size ? &*it : nullptr;
}

uint64_t Bus::read(uint64_t addr, unsigned size) const {
    const Window* w = find(addr);
    if (!w) return all_ones(size);
    return w->handler->io_read(addr - w->base, size) & all_ones(size);
}

void Bus::write(uint64_t addr, uint64_t value, unsigned size) const {
    if (const Window* w = find(addr)) w->handler->io_write(addr - w->base, value & all_ones(size), size);
}

}  // namespace petrel
