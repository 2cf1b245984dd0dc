// SPDX-License-Identifier: Apache-2.0
#include "replay/lackey_reader.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "replay/trace_chunks.h"

namespace cmosim::sim {

// The chunks in flight, in their order: a producer cuts them, workers parse
// them (or, without workers, the reader itself), read() hands out their
// records in order.
class ChunkQueue {
public:
    ChunkQueue(const std::string &path, unsigned workers, const LineRefs *refs = nullptr)
        : m_path(path), m_src(path), m_ring(workers ? 2 * workers + 2 : 1) {
        if (refs)
            m_refs = std::make_unique<LineRefs>(*refs);
        if (m_src.kind() == Source::Kind::Packed)
            m_chunker = std::make_unique<PackedChunker>(m_src, path);
        else
            m_chunker = std::make_unique<TextChunker>(m_src);
        m_dctx = ZSTD_createDCtx();
        if (!m_dctx)
            throw std::bad_alloc();
        m_state.assign(m_ring.size(), State::Free);
        if (workers == 0)
            return;
        m_threads.emplace_back([this] { produce(); });
        for (unsigned i = 0; i < workers; ++i)
            m_threads.emplace_back([this] { work(); });
    }
    ~ChunkQueue() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_space.notify_all();
        m_filled.notify_all();
        m_parsed.notify_all();
        for (std::thread &t : m_threads)
            t.join();
        ZSTD_freeDCtx(m_dctx);
    }
    ChunkQueue(const ChunkQueue &) = delete;
    ChunkQueue &operator=(const ChunkQueue &) = delete;

    const char *format() const { return m_src.format(); }

    // The next `max` records (fewer only at the end of the trace or before an
    // error), in place when one chunk holds them all, else copied: *recs
    // points at them until the next call; their `line` counts from *line_base.
    // `refs` (with LineRefs only): their words, the same way.
    size_t next(const TraceRecord **recs, const uint64_t **refs, uint64_t *line_base, size_t max) {
        size_t n = span(recs, refs, line_base, max);
        if (n == 0 || n == max)
            return n;
        // A chunk ends inside: copy, and top up from the chunks after.
        m_copy.resize(max);
        for (size_t i = 0; i < n; ++i) {
            m_copy[i] = (*recs)[i];
            m_copy[i].line += *line_base;
        }
        if (refs) {
            m_copy_refs.resize(max);
            std::copy(*refs, *refs + n, m_copy_refs.begin());
        }
        n = fill(m_copy.data(), refs ? m_copy_refs.data() : nullptr, n, max);
        *recs = m_copy.data();
        if (refs)
            *refs = m_copy_refs.data();
        *line_base = 0;
        return n;
    }

    // The same records, copied into `out` with their lines in the file.
    size_t read(TraceRecord *out, size_t max) { return fill(out, nullptr, 0, max); }

private:
    // The next records in the current chunk, at most `max`, in place.
    size_t span(const TraceRecord **recs, const uint64_t **refs, uint64_t *line_base, size_t max) {
        if (!m_pending.empty()) {
            std::string e;
            e.swap(m_pending);
            throw TraceError(e);
        }
        while (!m_finished) {
            if (!m_cur)
                m_cur = take();
            Chunk &c = *m_cur;
            if (m_off < c.count) {
                size_t k = std::min(c.count - m_off, max);
                *recs = c.recs.data() + m_off;
                if (refs)
                    *refs = c.refs.data() + m_off;
                *line_base = m_line_base;
                m_off += k;
                return k;
            }
            if (c.faulted) {
                m_finished = true;
                std::string msg = message(c);
                release();
                throw TraceError(msg);
            }
            if (c.type == Chunk::Type::End) {
                m_finished = true;
                release();
                break;
            }
            m_line_base += c.lines;
            m_record_base += c.count;
            release();
        }
        return 0;
    }

    // Copies records into out[have, max) (and their words into
    // out_refs[have, max) when not null); an error waits for the next call
    // when records are already in `out`.
    size_t fill(TraceRecord *out, uint64_t *out_refs, size_t have, size_t max) {
        size_t n = have;
        while (n < max) {
            const TraceRecord *recs;
            const uint64_t *refs = nullptr;
            uint64_t base;
            size_t k;
            try {
                k = span(&recs, out_refs ? &refs : nullptr, &base, max - n);
            } catch (const TraceError &e) {
                // The records before the bad line go out first, then its error.
                if (n == 0)
                    throw;
                m_pending = e.what();
                break;
            }
            if (k == 0)
                break;
            for (size_t i = 0; i < k; ++i) {
                out[n + i] = recs[i];
                out[n + i].line += base;
            }
            if (out_refs)
                std::copy(refs, refs + k, out_refs + n);
            n += k;
        }
        return n;
    }

    enum class State { Free, Filled, Busy, Parsed };

    // The next chunk in order, parsed.
    Chunk *take() {
        m_off = 0;
        Chunk &c = m_ring[m_take % m_ring.size()];
        if (m_threads.empty()) {
            if (!m_chunker->next(c))
                c.start(Chunk::Type::End);
            parse_chunk(c, m_dctx, m_raw);
            add_refs(c, m_region);
            return &c;
        }
        std::unique_lock<std::mutex> lock(m_mutex);
        m_parsed.wait(lock, [&] { return m_state[m_take % m_ring.size()] == State::Parsed; });
        return &c;
    }
    void release() {
        m_cur = nullptr;
        if (m_threads.empty())
            return;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_state[m_take % m_ring.size()] = State::Free;
            ++m_take;
        }
        m_space.notify_one();
    }

    void produce() {
        for (uint64_t seq = 0;; ++seq) {
            const size_t slot = seq % m_ring.size();
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_space.wait(lock, [&] { return m_stop || m_state[slot] == State::Free; });
                if (m_stop)
                    return;
            }
            // A free slot: only this thread touches it now.
            Chunk &c = m_ring[slot];
            bool more = false;
            try {
                more = m_chunker->next(c);
            } catch (const std::exception &e) {
                more = true;
                c.start(Chunk::Type::End);
                c.set_fault(Chunk::Where::None, 0, 0, e.what());
            }
            if (!more)
                c.start(Chunk::Type::End);
            const bool last = !more || c.faulted || c.type == Chunk::Type::End;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_state[slot] = State::Filled;
                m_fill = seq + 1;
            }
            m_filled.notify_one();
            if (last)
                return;
        }
    }

    void work() {
        ZSTD_DCtx *dctx = ZSTD_createDCtx();
        std::vector<unsigned char> raw;
        size_t region = 0;
        for (;;) {
            uint64_t seq;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_filled.wait(lock, [&] { return m_stop || m_parse < m_fill; });
                if (m_stop)
                    break;
                seq = m_parse++;
                m_state[seq % m_ring.size()] = State::Busy;
            }
            Chunk &c = m_ring[seq % m_ring.size()];
            if (dctx) {
                parse_chunk(c, dctx, raw);
                add_refs(c, region);
            } else
                c.set_fault(Chunk::Where::None, 0, 0, "cannot start the zstd decoder");
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_state[seq % m_ring.size()] = State::Parsed;
            }
            m_parsed.notify_all(); // the reader, and only it, waits on this
        }
        ZSTD_freeDCtx(dctx);
    }

    // The chunk's records' words, when asked for.
    void add_refs(Chunk &c, size_t &region) const {
        if (m_refs && c.count > 0)
            m_refs->words(c.recs.data(), c.count, c.refs.reserve(c.count), region);
    }

    std::string message(const Chunk &c) const {
        switch (c.where) {
        case Chunk::Where::Line: {
            uint64_t line = m_line_base + (c.at ? c.at : c.lines + 1);
            return m_path + ":" + std::to_string(line) +
                   (c.column ? ":" + std::to_string(c.column) : std::string()) + ": " + c.fault;
        }
        case Chunk::Where::Record:
            return m_path + ": record " + std::to_string(m_record_base + c.at) + ": " + c.fault;
        case Chunk::Where::None:
            break;
        }
        return m_path + ": " + c.fault;
    }

    std::string m_path;
    Source m_src;
    std::unique_ptr<Chunker> m_chunker;
    std::vector<Chunk> m_ring;
    ZSTD_DCtx *m_dctx = nullptr; // without workers
    std::vector<unsigned char> m_raw;
    std::vector<TraceRecord> m_copy;   // next()'s records across a chunk's end
    std::vector<uint64_t> m_copy_refs; // and their words
    std::unique_ptr<LineRefs> m_refs;  // the words to work out, if any
    size_t m_region = 0;               // add_refs() without workers

    // The reader's side.
    Chunk *m_cur = nullptr;
    size_t m_off = 0; // records of m_cur already handed out
    uint64_t m_take = 0;
    uint64_t m_line_base = 0, m_record_base = 0;
    bool m_finished = false;
    std::string m_pending; // an error after records already returned

    // Shared, under m_mutex.
    std::mutex m_mutex;
    std::condition_variable m_space, m_filled, m_parsed;
    std::vector<State> m_state;
    uint64_t m_fill = 0, m_parse = 0;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

LackeyReader::LackeyReader(const std::string &path)
    : m_path(path), m_queue(std::make_unique<ChunkQueue>(path, 0)) {}

LackeyReader::~LackeyReader() = default;

size_t LackeyReader::read(TraceRecord *out, size_t max) {
    return m_queue->read(out, max);
}

const char *LackeyReader::format() const {
    return m_queue->format();
}

namespace {
// One per processor but the one the simulation's thread keeps busy (at
// least 1, at most 4): on 2 processors, 2 workers with the reading thread
// and the simulation took 10 % longer than 1 (docs/performance.md).
unsigned default_workers() {
    unsigned n = std::thread::hardware_concurrency();
    return n < 3 ? 1 : n > 5 ? 4 : n - 1;
}
} // namespace

TracePrefetcher::TracePrefetcher(const std::string &path, unsigned workers)
    : m_queue(std::make_unique<ChunkQueue>(path, workers ? workers : default_workers())) {}

TracePrefetcher::~TracePrefetcher() = default;

size_t TracePrefetcher::read(TraceRecord *out, size_t max) {
    return m_queue->read(out, max);
}

TracePrefetcher::TracePrefetcher(const std::string &path, const LineRefs &refs, unsigned workers)
    : m_queue(std::make_unique<ChunkQueue>(path, workers ? workers : default_workers(), &refs)) {}

size_t TracePrefetcher::next(const TraceRecord **recs, uint64_t *line_base, size_t max) {
    return m_queue->next(recs, nullptr, line_base, max);
}

size_t TracePrefetcher::next(const TraceRecord **recs, const uint64_t **refs, uint64_t *line_base,
                             size_t max) {
    return m_queue->next(recs, refs, line_base, max);
}

void LineRefs::words(const TraceRecord *recs, size_t n, uint64_t *out, size_t &region) const {
    const uint64_t mask = ~uint64_t(line_bytes - 1);
    uint64_t lo = 0, len = 0; // the region of the last line
    if (region < regions.size()) {
        lo = regions[region].first;
        len = regions[region].second;
    }
    for (size_t i = 0; i < n; ++i) {
        const TraceRecord &t = recs[i];
        const uint64_t addr = map(t.addr);
        const uint64_t first = addr & mask;
        const uint64_t code = packed::kind_code(t.kind);
        if (first != ((addr + t.size - 1) & mask)) {
            out[i] = first | code | kSlow;
            continue;
        }
        if (first - lo >= len) {
            size_t r = 0;
            while (r < regions.size() && first - regions[r].first >= regions[r].second)
                ++r;
            if (r == regions.size()) {
                out[i] = first | code | kSlow;
                continue;
            }
            region = r;
            lo = regions[r].first;
            len = regions[r].second;
        }
        out[i] = first | code;
    }
}

const char *TracePrefetcher::format() const {
    return m_queue->format();
}

LackeyTextChunks::LackeyTextChunks(const std::string &path)
    : m_path(path), m_src(std::make_unique<Source>(path)),
      m_chunker(std::make_unique<TextChunker>(*m_src)), m_chunk(std::make_unique<Chunk>()) {}

LackeyTextChunks::~LackeyTextChunks() = default;

bool LackeyTextChunks::next(const char **text, size_t *len) {
    if (!m_pending.empty()) {
        std::string e;
        e.swap(m_pending);
        throw TraceError(e);
    }
    Chunk &c = *m_chunk;
    if (!m_chunker->next(c))
        return false;
    const uint64_t before = m_lines;
    m_lines += static_cast<uint64_t>(std::count(c.in.data(), c.in.data() + c.len, '\n'));
    if (c.faulted) {
        uint64_t line = c.at ? before + c.at : m_lines + 1;
        std::string msg = c.where == Chunk::Where::None
                              ? m_path + ": " + c.fault
                              : m_path + ":" + std::to_string(line) +
                                    (c.column ? ":" + std::to_string(c.column) : std::string()) +
                                    ": " + c.fault;
        if (c.len == 0)
            throw TraceError(msg);
        m_pending = msg;
    }
    *text = c.in.data();
    *len = c.len;
    return true;
}

bool LackeyTextChunks::added_newline() const {
    return m_chunker->added_newline();
}

const char *LackeyTextChunks::format() const {
    return m_src->format();
}

PackedBlocks::PackedBlocks(const std::string &path)
    : m_path(path), m_src(std::make_unique<Source>(path)), m_chunk(std::make_unique<Chunk>()) {
    if (m_src->kind() != Source::Kind::Packed)
        return;
    m_chunker = std::make_unique<PackedChunker>(*m_src, path);
    m_dctx = ZSTD_createDCtx();
    if (!m_dctx)
        throw std::bad_alloc();
}

PackedBlocks::~PackedBlocks() {
    ZSTD_freeDCtx(static_cast<ZSTD_DCtx *>(m_dctx));
}

bool PackedBlocks::packed() const {
    return m_chunker != nullptr;
}

bool PackedBlocks::next(const unsigned char **raw, size_t *len) {
    Chunk &c = *m_chunk;
    m_records = m_next_records;
    if (!m_chunker || !m_chunker->next(c))
        return false;
    if (!c.faulted)
        inflate_block(c, static_cast<ZSTD_DCtx *>(m_dctx), m_raw);
    if (c.faulted)
        throw TraceError(c.where == Chunk::Where::Record
                             ? m_path + ": record " + std::to_string(m_records + c.at) + ": " +
                                   c.fault
                             : m_path + ": " + c.fault);
    m_next_records = m_records + c.block.records;
    *raw = m_raw.data();
    *len = m_raw.size();
    return true;
}

uint32_t PackedBlocks::flags() const {
    return m_chunker ? m_chunker->flags() : 0;
}

uint64_t PackedBlocks::text_bytes() const {
    return m_chunker ? m_chunker->text_bytes() : 0;
}

} // namespace cmosim::sim
