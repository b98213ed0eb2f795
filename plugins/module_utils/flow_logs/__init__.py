# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPC flow logs, in the order data flows through them.

- ``options``: every choice and default of the flow_log and flow_log_info options, declared once;
  the modules' argument specs are derived from it.
- ``config``: the desired configuration a task asks for, the same shape read from an existing
  flow log, how two configurations compare, and the one summary shape both are reported in.
- ``planning``: pure planning (a FlowLogChange per watched resource) and the module result.
- ``api``: the EC2 calls (request building, chunking, ClientToken, role-propagation retries).
- ``resource``: FlowLogResource, read -> plan -> apply for the flow_log module.
- ``coverage``: the coverage audit; ``info``: flow_log_info's entry point.

A flow log cannot be modified after creation (VPC user guide, "Flow log limitations"): only its
tags change in place, so for each watched resource the plan is create, keep, retag, replace
(create the new flow log first, then delete the old one, so no traffic goes unlogged) or delete.
Everything but ``api`` and ``resource`` is pure and unit-tested without AWS.
"""
