// Package junit reads JUnit XML test results (gotestsum --junitfile,
// pytest --junitxml, GoogleTest --gtest_output=xml, Bazel test.xml) as
// evidence of kind junit.
//
// Guarantees:
//   - A file whose root element is neither <testsuites> nor <testsuite>,
//     or that is not well-formed XML, is an *Error naming the file and
//     line and saying what was expected.
//   - Only test cases that reference a requirement count: a
//     <property name="req" value="ID"/> in the test case's <properties>
//     (one per ID, or several IDs comma-separated), or a req="ID"
//     attribute as older GoogleTest versions write RecordProperty.
//   - <failure> and <error> are failed, <skipped> (or GoogleTest's
//     status="notrun" or result="skipped") is skipped, GoogleTest's
//     status="notrun" without <skipped> is not run, anything else passed.
//   - Several test cases with the same class and name (gotestsum
//     --rerun-fails writes one per attempt) are attempts in document
//     order, merged with model.Outcome: a failure then a pass is flaky.
//   - The test's package is the classname; file and line come from the
//     file and line attributes when present.
package junit
