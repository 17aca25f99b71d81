#pragma once
// NSGA-II (Deb, Pratap, Agarwal, Meyarivan, IEEE TEC 2002) on (accuracy max, latency min) with
// constraint-domination for a latency budget. Parents are picked by binary tournament on (front,
// crowding distance); a child takes each edge from either parent (uniform crossover, probability
// `crossover`) and then one mutation, redrawn until connected; parents and children are merged and
// the next population filled front by front, the last front by crowding distance.

#include <string>
#include <vector>

#include "maplex/search/algorithm.hpp"

namespace maplex::search {

class Nsga2 {
 public:
  // Throws InputError unless population >= 4 and crossover in [0, 1].
  explicit Nsga2(int population = 40, double crossover = 0.9);
  std::string name() const { return "nsga2"; }
  Parameters parameters() const { return {{"population", population_}, {"crossover", crossover_}}; }
  void step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;

 private:
  int population_;
  double crossover_;
};

// Front number and crowding distance of each member under constraint-domination: feasible members
// by non-dominated sorting on (-accuracy, latency); infeasible ones after every feasible front,
// one front per distinct violation (ascending).
struct Ranking {
  std::vector<int> front;
  std::vector<double> crowding;
};
Ranking rank_members(const std::vector<Member>& members);

}  // namespace maplex::search
