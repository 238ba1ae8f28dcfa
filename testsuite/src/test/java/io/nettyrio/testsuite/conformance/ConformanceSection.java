/*
 * Copyright 2026 The Netty RIO Project
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file except in
 * compliance with the License. You may obtain a copy of the License at
 *
 *   https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software distributed under the License is
 * distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and limitations under the License.
 */
package io.nettyrio.testsuite.conformance;

/**
 * One section of {@link RioConformanceSuite}: an interface of test cases (JUnit runs the default methods of the
 * interfaces a test class implements) that reach the case's fixture through {@link #fx()}.
 */
interface ConformanceSection {

    /** The fixture of the running case: the provider under test, its port and what the case opened. */
    RioFixture fx();
}
