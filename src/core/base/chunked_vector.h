// ChunkedVector<T>: an append-only sequence stored in chunks of 64, 128, 256, 512 and then
// 1024 elements, so that growing it never moves what it holds (references stay valid) and
// constructs nothing in advance. The ledger keeps every realized gain in one: std::vector's
// doublings moved every record, std::deque's 512-byte blocks hold three Realizations each,
// fixed 1024-element chunks cost a 170 KB memset per small ledger, and unbounded doubling
// made each big chunk a fresh mmap to fault in.
//
//   ChunkedVector<Realization> realized;
//   realized.push_back(r);
//   for (const Realization& x : realized) ...
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <iterator>
#include <vector>

namespace arbor {

template <typename T>
class ChunkedVector {
 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;
    const_iterator(const ChunkedVector* v, size_t i) : v_(v), i_(i) {}
    const T& operator*() const { return (*v_)[i_]; }
    const T* operator->() const { return &(*v_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    const ChunkedVector* v_;
    size_t i_;
  };

  void push_back(T value) {
    size_t chunk = ChunkOf(size_);
    if (chunk == chunks_.size()) {
      chunks_.emplace_back();
      chunks_.back().reserve(Capacity(chunk));  // capacity only: nothing constructed
    }
    chunks_[chunk].push_back(std::move(value));  // within capacity: never reallocates
    ++size_;
  }
  T& operator[](size_t i) {
    size_t chunk = ChunkOf(i);
    return chunks_[chunk][i - Start(chunk)];
  }
  const T& operator[](size_t i) const {
    size_t chunk = ChunkOf(i);
    return chunks_[chunk][i - Start(chunk)];
  }
  T& back() { return chunks_.back().back(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

 private:
  static constexpr size_t kFirstChunk = 64;
  static constexpr size_t kLastDoubling = 4;                       // chunk 4 holds 1024
  static constexpr size_t kGrownStart = kFirstChunk * ((1 << (kLastDoubling + 1)) - 1);  // 1984
  static constexpr size_t kMaxChunk = kFirstChunk << kLastDoubling;
  static size_t Capacity(size_t chunk) {
    return kFirstChunk << std::min(chunk, kLastDoubling);
  }
  // Chunks 0..4 double from 64; every later chunk holds kMaxChunk elements.
  static size_t ChunkOf(size_t i) {
    if (i < kGrownStart) return std::bit_width(i / kFirstChunk + 1) - 1;
    return kLastDoubling + 1 + (i - kGrownStart) / kMaxChunk;
  }
  static size_t Start(size_t chunk) {
    if (chunk <= kLastDoubling) return kFirstChunk * ((size_t{1} << chunk) - 1);
    return kGrownStart + (chunk - kLastDoubling - 1) * kMaxChunk;
  }

  std::vector<std::vector<T>> chunks_;
  size_t size_ = 0;
};

}  // namespace arbor
