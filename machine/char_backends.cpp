#include "machine/char_backends.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace petrel {

namespace {
termios g_saved_termios;
bool g_termios_saved = false;

void restore_terminal() {
    if (g_termios_saved) tcsetattr(0, TCSANOW, &g_saved_termios);
}
}  // namespace

FileBackend::FileBackend(const std::string& path) : f_(fopen(path.c_str(), "wb")) {
    if (!f_) throw std::runtime_error(fmt::format("cannot open '{}' for writing: {}", path, strerror(errno)));
}

FileBackend::~FileBackend() { fclose(f_); }

void FileBackend::write_byte(uint8_t b) {
    fputc(b, f_);
    if (b == '\n') fflush(f_);
}

StdioBackend::StdioBackend() {
    tty_ = isatty(0);
    if (tty_ && tcgetattr(0, &g_saved_termios) == 0) {
        g_termios_saved = true;
        atexit(restore_terminal);
        termios raw = g_saved_termios;
        cfmakeraw(&raw);
        raw.c_oflag |= OPOST | ONLCR;  // keep "\n" -> "\r\n" for our own messages
        tcsetattr(0, TCSANOW, &raw);
    }
    int fl = fcntl(0, F_GETFL);
    if (fl < 0) input_open_ = false;
}

StdioBackend::~StdioBackend() {
    flush();
    restore_terminal();
}

void StdioBackend::write_byte(uint8_t b) {
    out_.push_back(static_cast<char>(b));
    if (out_.size() >= 4096) flush();
}

void StdioBackend::flush() {
    size_t off = 0;
    while (off < out_.size()) {
        ssize_t n = write(1, out_.data() + off, out_.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // stdout gone: drop output rather than spin
        off += static_cast<size_t>(n);
    }
    out_.clear();
}

void StdioBackend::handle_escape(uint8_t b) {
    escape_ = false;
    switch (b) {
        case 'x': case 'X':
            quit_ = true;
            fmt::print(stderr, "\r\npetrel: terminated (Ctrl-A x)\r\n");
            break;
        case 0x01:
            pending_.push_back(0x01);
            break;
        case 'h': case 'H': case '?':
            fmt::print(stderr, "\r\nC-a h    print this help\r\nC-a x    exit emulator\r\nC-a C-a  send C-a\r\n");
            break;
        default:
            break;  // unknown escapes are swallowed, as QEMU does
    }
}

bool StdioBackend::poll_input() {
    if (!input_open_) return false;
    for (;;) {
        pollfd p{0, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP))) return true;
        uint8_t buf[256];
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
        if (n <= 0) {
            input_open_ = false;
            return false;
        }
        for (ssize_t i = 0; i < n; ++i) {
            uint8_t b = buf[i];
            if (tty_ && escape_) handle_escape(b);
            else if (tty_ && b == 0x01) escape_ = true;
            else pending_.push_back(b);
        }
    }
}

std::unique_ptr<CharBackend> make_backend(const CharDevSpec& spec, StdioBackend*& stdio_out) {
    switch (spec.kind) {
        case CharDevSpec::Kind::Stdio: {
            auto b = std::make_unique<StdioBackend>();
            stdio_out = b.get();
            return b;
        }
        case CharDevSpec::Kind::File:
            return std::make_unique<FileBackend>(spec.path);
        default:
            return std::make_unique<NullBackend>();
    }
}

}  // namespace petrel
