#include "parse_arch.hpp"

#include <cctype>
#include <string>

#include "maplex/core/error.hpp"

namespace maplex::space::detail {

namespace {

constexpr std::string_view kForm = "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|";

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Arch run() {
    if (text_.empty()) {
      throw InputError("arch string: empty, expected an NB201 cell " + std::string(kForm) +
                       " or an index 0..15624");
    }
    std::array<Op, kNumEdges> edges{};
    int edge = 0;
    for (int node = 1; node < kNumNodes; ++node) {
      if (node > 1) {
        if (at_end()) {
          fail("has " + std::to_string(node - 1) +
               " node(s), expected 3 node groups separated by '+'");
        }
        expect('+', "'+' between node groups");
      }
      expect('|', "'|' opening the edges of node " + std::to_string(node));
      for (int source = 0; source < node; ++source, ++edge) {
        if (at_end() || peek() == '+') {
          fail("node " + std::to_string(node) + " has " + std::to_string(source) +
               " edge(s), expected " + std::to_string(node) + " (one from each of nodes 0.." +
               std::to_string(node - 1) + ")");
        }
        edges[static_cast<std::size_t>(edge)] = read_edge(node, source);
        expect('|', "'|' after edge " + edge_label(node, source));
      }
      if (!at_end() && peek() != '+') {
        if (node == kNumNodes - 1) {
          fail("stray characters " + quote(text_.substr(pos_)) +
               " after the last node, expected the end of the string");
        }
        if (std::isalpha(static_cast<unsigned char>(peek())) != 0) {
          fail("node " + std::to_string(node) + " has more than " + std::to_string(node) +
               " edge(s), expected '+' to start node " + std::to_string(node + 1));
        }
        fail("expected '+' to start node " + std::to_string(node + 1) + ", found " +
             quote(text_.substr(pos_, 1)));
      }
    }
    if (!at_end()) {
      fail("more than 3 node groups, expected the end of the string");
    }
    return Arch(edges);
  }

 private:
  static std::string edge_label(int node, int source) {
    return std::to_string(node) + "<-" + std::to_string(source);
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }

  [[noreturn]] void fail_at(std::size_t pos, const std::string& what) const {
    throw InputError("arch string " + quote(text_) + ": at position " + std::to_string(pos + 1) +
                     ", " + what + " (form " + std::string(kForm) + ")");
  }

  void expect(char c, const std::string& what) {
    if (at_end()) {
      fail("expected " + what + ", found the end of the string");
    }
    if (peek() != c) {
      fail("expected " + what + ", found " + quote(text_.substr(pos_, 1)));
    }
    ++pos_;
  }

  Op read_edge(int node, int source) {
    const std::size_t start = pos_;
    while (!at_end() && peek() != '~' && peek() != '|' && peek() != '+') {
      ++pos_;
    }
    const std::string_view name = text_.substr(start, pos_ - start);
    if (at_end() || peek() != '~') {
      fail_at(start, "expected op~source for edge " + edge_label(node, source) + ", found " +
                         quote(name) + " without '~'");
    }
    const auto op = op_from_name(name);
    if (!op) {
      fail_at(start, "unknown op " + quote(name) + " on edge " + edge_label(node, source) +
                         ", expected one of " + std::string(op_names_list()));
    }
    ++pos_;  // '~'
    const std::size_t src_pos = pos_;
    while (!at_end() && peek() != '|' && peek() != '+') {
      ++pos_;
    }
    const std::string_view src = text_.substr(src_pos, pos_ - src_pos);
    const std::string want(1, static_cast<char>('0' + source));
    if (src != want) {
      fail_at(src_pos, "edge " + edge_label(node, source) + " has source node " + quote(src) +
                           ", expected '" + want + "'");
    }
    return *op;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

Arch parse_arch(std::string_view text) { return Parser(text).run(); }

}  // namespace maplex::space::detail
