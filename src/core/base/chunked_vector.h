// ChunkedVector<T>: an append-only sequence stored in fixed-size chunks, so that growing it
// never moves what it holds (references stay valid) and costs one allocation per kChunk
// elements. The ledger keeps every realized gain in one; std::vector's doublings and
// std::deque's 512-byte blocks (three Realizations each) both showed in the replay profile.
//
//   ChunkedVector<Realization> realized;
//   realized.push_back(r);
//   for (const Realization& x : realized) ...
#pragma once

#include <array>
#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

namespace arbor {

template <typename T, size_t kChunk = 1024>
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
    if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<Chunk>());
    (*chunks_.back())[size_ % kChunk] = std::move(value);
    ++size_;
  }
  T& operator[](size_t i) { return (*chunks_[i / kChunk])[i % kChunk]; }
  const T& operator[](size_t i) const { return (*chunks_[i / kChunk])[i % kChunk]; }
  T& back() { return (*this)[size_ - 1]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

 private:
  using Chunk = std::array<T, kChunk>;
  std::vector<std::unique_ptr<Chunk>> chunks_;
  size_t size_ = 0;
};

}  // namespace arbor
