// SPDX-License-Identifier: MIT
/*
 * googletest cases with their main(), run by llext-run against googletest's own library as
 * another extension: its registry's destructors (~TestInfo and others) run at exit after this
 * extension's, while the cases' code they delete is still there.
 */
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

static int gcd(int a, int b)
{
	return b ? gcd(b, a % b) : a;
}

TEST(Arith, Gcd)
{
	EXPECT_EQ(gcd(12, 18), 6);
	EXPECT_EQ(gcd(17, 5), 1);
}

TEST(Strings, Append)
{
	std::string s = "lib";

	s += "llext";
	EXPECT_EQ(s, "libllext");
	EXPECT_EQ(s.size(), 8u);
}

TEST(Vectors, SumOfFirstHundred)
{
	std::vector<int> v(100);

	std::iota(v.begin(), v.end(), 1);
	EXPECT_EQ(std::accumulate(v.begin(), v.end(), 0), 100 * 101 / 2);
}

int main(int argc, char **argv)
{
	testing::InitGoogleTest(&argc, argv);
	return RUN_ALL_TESTS();
}
