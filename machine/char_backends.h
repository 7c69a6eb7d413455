// Host ends of character devices: the terminal (raw mode, QEMU's Ctrl-A
// escapes), a file, or nothing. Input is polled by the run loop, never by a
// device, so devices stay single-threaded.
#pragma once
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "devices/char_backend.h"
#include "machine/options.h"

namespace petrel {

class NullBackend : public CharBackend {
public:
    void write_byte(uint8_t) override {}
};

class FileBackend : public CharBackend {
public:
    explicit FileBackend(const std::string& path);  // throws std::runtime_error naming the path
    ~FileBackend() override;
    void write_byte(uint8_t b) override;

private:
    FILE* f_;
};

// The terminal. Output goes to stdout unbuffered-ish (flushed by the run
// loop); input comes from stdin. When stdin is a terminal it is put in raw
// mode for the guest, and Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A, Ctrl-A h
// prints help. When stdin is a pipe or file, its bytes are guest input as is.
class StdioBackend : public CharBackend {
public:
    StdioBackend();
    ~StdioBackend() override;
    void write_byte(uint8_t b) override;
    void flush();

    // Reads what stdin has without blocking; returns false at EOF (no more input).
    bool poll_input();
    bool has_input() const { return !pending_.empty(); }
    uint8_t take_input() {
        uint8_t b = pending_.front();
        pending_.pop_front();
        return b;
    }
    int input_fd() const { return input_open_ ? 0 : -1; }
    bool quit_requested() const { return quit_; }

private:
    void handle_escape(uint8_t b);
    bool tty_ = false;
    bool input_open_ = true;
    bool escape_ = false;
    bool quit_ = false;
    std::deque<uint8_t> pending_;
    std::string out_;
};

std::unique_ptr<CharBackend> make_backend(const CharDevSpec& spec, StdioBackend*& stdio_out);

}  // namespace petrel
