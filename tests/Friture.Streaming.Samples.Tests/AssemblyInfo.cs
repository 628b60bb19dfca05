// Every test here needs a program outside the test process (a broker, or sample processes and packages): the fast
// lane (./scripts/test.sh --fast) leaves the whole assembly out.
[assembly: Trait(TestCategory.Name, TestCategory.Integration)]
